/** `inventory.reserve` (Fetch goods): asks Inventory to reserve and pick the order items. */
import { z } from 'zod';
import { createMessage } from '../infra/messaging/index.js';
import { defineJobWorker } from './job-worker-definition.js';
import { jobVariables } from './job-variables.js';

export const reserveGoodsWorker = defineJobWorker({
  jobType: 'inventory.reserve',
  attemptsVariable: 'reservationAttempts',
  variables: z.object({ orderId: jobVariables.orderId, items: jobVariables.items }),
  toMessage: ({ orderId, items }, { messageId }) => createMessage('inventory.reserve', { orderId, items }, { id: messageId }),
});
