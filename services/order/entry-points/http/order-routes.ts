import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { OrderRepository } from '../../data-access/order-repository.js';
import type { ProductRepository } from '../../data-access/product-repository.js';
import { requestOrderCancellation } from '../../domain/cancel-order.js';
import { OrderNotFoundError } from '../../domain/errors.js';
import { placeOrder } from '../../domain/place-order.js';
import { idempotencyKeySchema, listOrdersQuerySchema, placeOrderSchema } from './place-order-schema.js';
import { sendProblem, validationProblem, violationsOf } from './problem-details.js';

export interface OrderRoutesDependencies {
  orders: OrderRepository;
  products: ProductRepository;
  logger: Logger;
  onOrderPlaced(orderId: string): void;
  requestCancel(orderId: string): Promise<void>;
}

/** `/orders`: place (idempotently), read, list and cancel orders. */
export function orderRoutes(deps: OrderRoutesDependencies): Router {
  const router = Router();
  const logger = deps.logger.child({ component: 'order-routes' });

  router.post('/orders', async (request: Request, response: Response) => {
    const key = idempotencyKeySchema.safeParse(request.get('Idempotency-Key'));
    const body = placeOrderSchema.safeParse(request.body);
    const violations = [...(key.success ? [] : violationsOf(key.error, ['Idempotency-Key'])), ...(body.success ? [] : violationsOf(body.error))];
    if (!key.success || !body.success) return sendProblem(response, validationProblem('Expected an Idempotency-Key header and a valid order', violations));
    const { orderId, created } = await placeOrder({ idempotencyKey: key.data, ...body.data }, deps);
    if (created) logger.info({ orderId }, 'Order placed');
    const order = await deps.orders.findView(orderId);
    response
      .status(created ? 201 : 200)
      .location(`/orders/${orderId}`)
      .json({ orderId, status: order?.status, total: order?.total });
  });

  router.get('/orders', async (request: Request, response: Response) => {
    const query = listOrdersQuerySchema.safeParse(request.query);
    if (!query.success) return sendProblem(response, validationProblem('Expected valid query parameters', violationsOf(query.error)));
    const { items, total } = await deps.orders.list(query.data);
    response.json({ items, page: query.data.page, pageSize: query.data.pageSize, total });
  });

  router.get('/orders/:id', async (request: Request<{ id: string }>, response: Response) => {
    const order = await deps.orders.findView(request.params.id);
    if (!order) throw new OrderNotFoundError(request.params.id);
    response.json(order);
  });

  router.post('/orders/:id/cancel', async (request: Request<{ id: string }>, response: Response) => {
    const orderId = request.params.id;
    await requestOrderCancellation(orderId, deps);
    logger.info({ orderId }, 'Order cancellation requested');
    response.status(202).json({ orderId, cancellationRequested: true });
  });

  return router;
}
