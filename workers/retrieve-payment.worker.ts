/** `payment.charge` (Retrieve payment): asks Payment to charge the order total to the stored card. */
import { z } from 'zod';
import { createMessage } from '../infra/messaging/index.js';
import { defineJobWorker } from './job-worker-definition.js';
import { jobVariables } from './job-variables.js';

export const retrievePaymentWorker = defineJobWorker({
  jobType: 'payment.charge',
  attemptsVariable: 'paymentAttempts',
  variables: z.object({
    orderId: jobVariables.orderId,
    customerId: jobVariables.customerId,
    cardToken: jobVariables.cardToken,
    total: jobVariables.total,
  }),
  toMessage: ({ orderId, customerId, cardToken, total }, { messageId }) =>
    createMessage('payment.charge', { orderId, customerId, cardToken, amount: total }, { id: messageId }),
});
