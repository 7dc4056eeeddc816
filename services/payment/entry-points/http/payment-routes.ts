import { Router } from 'express';
import { z } from 'zod';
import type { PaymentRepository } from '../../data-access/payment-repository.js';
import { OpsAccess, requireOpsAccess, type OpsTokens } from '../../../../lib/http/ops-auth.js';
import { BadRequestError, validationProblem, violationsOf } from '../../../../lib/http/problem-details.js';

const paymentQuerySchema = z.object({ orderId: z.uuid({ message: 'Expected orderId to be a UUID' }) });

/** `GET /payments?orderId=` lists an order's charges and refunds, oldest first, to ops (the ops or the read token). */
export function paymentRoutes(payments: PaymentRepository, opsTokens: OpsTokens): Router {
  const router = Router();
  router.get('/payments', requireOpsAccess(opsTokens, OpsAccess.READ), async (request, response) => {
    const query = paymentQuerySchema.safeParse({ orderId: request.query.orderId });
    if (!query.success) throw new BadRequestError(validationProblem('Expected an orderId query parameter', violationsOf(query.error)));
    const items = await payments.listByOrder(query.data.orderId);
    response.json({
      items: items.map((payment) => ({ id: payment.id, type: payment.type, amount: payment.amount.amount, currency: payment.amount.currency, status: payment.status })),
    });
  });
  return router;
}
