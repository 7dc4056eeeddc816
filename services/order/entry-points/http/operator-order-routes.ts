import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { noBody } from '../../../../lib/http/json-bodies.js';
import { OpsAccess, requireOpsAccess, type OpsTokens } from '../../../../lib/http/ops-auth.js';
import { ANY_CUSTOMER } from '../../data-access/order-repository.js';
import { CancelRequester, requestOrderCancellation, type CancelOrderDependencies } from '../../domain/cancel-order.js';
import { OrderNotFoundError } from '../../domain/errors.js';
import { isCancellable } from '../../domain/order-status.js';

export interface OperatorOrderRoutesDependencies extends CancelOrderDependencies {
  /** `ORDERFLOW_OPS_TOKEN` reads and cancels, `ORDERFLOW_OPS_READ_TOKEN` reads; without either everyone gets 401. */
  opsTokens: OpsTokens;
  logger: Logger;
}

/**
 * `/ops/orders/:id`: any customer's order, for an operator; and cancelling it the way its customer
 * would, so the process refunds what was charged and releases what was reserved. Cancelling the
 * process instance itself (Operate, the ops page) stops it where it is and undoes nothing.
 */
export function operatorOrderRoutes(deps: OperatorOrderRoutesDependencies): Router {
  const logger = deps.logger.child({ component: 'operator-order-routes' });
  const router = Router();

  router.get('/ops/orders/:id', requireOpsAccess(deps.opsTokens, OpsAccess.READ), async (request: Request<{ id: string }>, response: Response) => {
    const order = await deps.orders.findView(request.params.id, ANY_CUSTOMER);
    if (!order) throw new OrderNotFoundError(request.params.id);
    response.set('Cache-Control', 'no-store').json({ ...order, cancellable: isCancellable(order.status) });
  });

  router.post('/ops/orders/:id/cancellation', requireOpsAccess(deps.opsTokens, OpsAccess.WRITE), noBody, async (request: Request<{ id: string }>, response: Response) => {
    const orderId = request.params.id;
    await requestOrderCancellation(orderId, { by: CancelRequester.OPERATOR }, deps);
    logger.info({ orderId, requestedBy: CancelRequester.OPERATOR }, 'Order cancellation requested');
    response.status(202).json({ orderId, cancellationRequested: true });
  });
  return router;
}
