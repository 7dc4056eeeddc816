/** `shipping.ship` (Ship goods): asks Shipping to hand the picked goods to the carrier. */
import { z } from 'zod';
import { createMessage } from '../infra/messaging/index.js';
import { defineJobWorker } from './job-worker-definition.js';
import { jobVariables } from './job-variables.js';

export const shipGoodsWorker = defineJobWorker({
  jobType: 'shipping.ship',
  attemptsVariable: 'shipmentAttempts',
  variables: z.object({ orderId: jobVariables.orderId, items: jobVariables.items, shippingAddress: jobVariables.shippingAddress }),
  toMessage: ({ orderId, items, shippingAddress }, { messageId }) =>
    createMessage('shipping.ship', { orderId, items, shippingAddress }, { id: messageId }),
});
