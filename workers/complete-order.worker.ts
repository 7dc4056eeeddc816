/**
 * `order.complete` (Confirm order completed): publishes the `order.completed` event, from which the Order
 * service's projection learns the checkout ended with the goods shipped.
 */
import { z } from 'zod';
import { createMessage } from '../infra/messaging/index.js';
import { defineJobWorker } from './job-worker-definition.js';
import { jobVariables } from './job-variables.js';

export const completeOrderWorker = defineJobWorker({
  jobType: 'order.complete',
  variables: z.object({ orderId: jobVariables.orderId }),
  toMessage: ({ orderId }, { messageId }) => createMessage('order.completed', { orderId }, { id: messageId }),
});
