/** `inventory.release` (Release goods, the compensation handler of Fetch goods): asks Inventory to put the goods back. */
import { z } from 'zod';
import { createMessage } from '../infra/messaging/index.js';
import { defineJobWorker } from './job-worker-definition.js';
import { jobVariables } from './job-variables.js';

export const releaseGoodsWorker = defineJobWorker({
  jobType: 'inventory.release',
  variables: z.object({ orderId: jobVariables.orderId, items: jobVariables.items }),
  toMessage: ({ orderId, items }, { messageId }) => createMessage('inventory.release', { orderId, items }, { id: messageId }),
});
