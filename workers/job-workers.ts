/** Every job type of processes/checkout.bpmn and the module that works it (processes/checkout-contract.md, "Job types"). */
import { cancelOrderWorker } from './cancel-order.worker.js';
import { completeOrderWorker } from './complete-order.worker.js';
import type { JobWorkerDefinition } from './job-worker-definition.js';
import { notifyCustomerWorker } from './notify-customer.worker.js';
import { refundPaymentWorker } from './refund-payment.worker.js';
import { releaseGoodsWorker } from './release-goods.worker.js';
import { reserveGoodsWorker } from './reserve-goods.worker.js';
import { retrievePaymentWorker } from './retrieve-payment.worker.js';
import { shipGoodsWorker } from './ship-goods.worker.js';

export const checkoutJobWorkers: readonly JobWorkerDefinition[] = [
  retrievePaymentWorker,
  refundPaymentWorker,
  notifyCustomerWorker,
  reserveGoodsWorker,
  releaseGoodsWorker,
  shipGoodsWorker,
  completeOrderWorker,
  cancelOrderWorker,
] as JobWorkerDefinition[];
