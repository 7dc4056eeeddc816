/**
 * `payment.refund` (Refund payment, the compensation handler of Retrieve payment): asks Payment to refund
 * what it charged for the order. Payment refunds the net charged amount, so a refund for an attempt that
 * charged nothing refunds nothing; `total` is the most it may refund.
 */
import { z } from 'zod';
import { createMessage } from '../infra/messaging/index.js';
import { defineJobWorker } from './job-worker-definition.js';
import { jobVariables } from './job-variables.js';

/** The reason sent when compensation runs without a cancellation reason set (it should not happen). */
const defaultRefundReason = 'compensation';

export const refundPaymentWorker = defineJobWorker({
  jobType: 'payment.refund',
  variables: z.object({
    orderId: jobVariables.orderId,
    total: jobVariables.total,
    cancellationReason: jobVariables.cancellationReason,
  }),
  toMessage: ({ orderId, total, cancellationReason }, { messageId }) =>
    createMessage('payment.refund', { orderId, amount: total, reason: cancellationReason ?? defaultRefundReason }, { id: messageId }),
});
