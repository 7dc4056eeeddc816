/**
 * `order.cancel` (Confirm order cancelled): publishes the `order.cancelled` event with the process's
 * `cancellationReason`, after compensation ran, so the Order service's projection shows the order cancelled
 * and why.
 */
import { z } from 'zod';
import { cancellationReasonSchema, createMessage } from '../infra/messaging/index.js';
import { defineJobWorker } from './job-worker-definition.js';
import { jobVariables } from './job-variables.js';

export const cancelOrderWorker = defineJobWorker({
  jobType: 'order.cancel',
  // Required here, unlike for the refund: every cancelling path sets it, so a job without one is a model bug (an incident).
  variables: z.object({ orderId: jobVariables.orderId, cancellationReason: cancellationReasonSchema }),
  toMessage: ({ orderId, cancellationReason }, { messageId }) => createMessage('order.cancelled', { orderId, reason: cancellationReason }, { id: messageId }),
});
