import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { customerIdOf, identifyCustomer, rejectAnonymous, requireCustomer, type CustomerAuthConfig } from '../../../../lib/http/customer-auth.js';
import type { OrderRepository } from '../../data-access/order-repository.js';
import type { ProductRepository } from '../../data-access/product-repository.js';
import { CancelRequester, requestOrderCancellation, type CancelOrderDependencies } from '../../domain/cancel-order.js';
import { OrderNotFoundError } from '../../domain/errors.js';
import { OrderStatus } from '../../domain/order-status.js';
import { placeOrder } from '../../domain/place-order.js';
import { placeOrderRateLimit, type PlaceOrderRateLimit } from './place-order-rate-limit.js';
import { idempotencyKeySchema, listOrdersQuerySchema, placeOrderSchema } from './place-order-schema.js';
import { noBody } from '../../../../lib/http/json-bodies.js';
import { sendProblem, validationProblem, violationsOf } from '../../../../lib/http/problem-details.js';

export interface OrderRoutesDependencies {
  orders: OrderRepository;
  products: ProductRepository;
  logger: Logger;
  auth: CustomerAuthConfig;
  placeOrderRateLimit: PlaceOrderRateLimit;
  onOrderPlaced(orderId: string): void;
  requestCancel: CancelOrderDependencies['requestCancel'];
}

/**
 * `/orders`: place (idempotently), read, list and cancel the calling customer's orders. The customer
 * is the bearer token's subject; another customer's order answers exactly as an unknown one (404).
 */
export function orderRoutes(deps: OrderRoutesDependencies): Router {
  const router = Router();
  const logger = deps.logger.child({ component: 'order-routes' });

  router.post('/orders', identifyCustomer(deps.auth), placeOrderRateLimit(deps.placeOrderRateLimit), rejectAnonymous, async (request: Request, response: Response) => {
    const customerId = customerIdOf(response);
    const key = idempotencyKeySchema.safeParse(request.get('Idempotency-Key'));
    const body = placeOrderSchema.safeParse(request.body);
    const violations = [...(key.success ? [] : violationsOf(key.error, ['Idempotency-Key'])), ...(body.success ? [] : violationsOf(body.error))];
    if (!key.success || !body.success) return sendProblem(response, validationProblem('Expected an Idempotency-Key header and a valid order', violations));
    const placed = await placeOrder({ idempotencyKey: key.data, customerId, ...body.data }, deps);
    const { orderId, created } = placed;
    if (created) logger.info({ orderId, customerId }, 'Order placed');
    // A new order is answered as placed; a repeated request with the key, with the order as it is now.
    const order = placed.created ? { status: OrderStatus.PENDING, total: placed.total } : await deps.orders.findStatus(orderId, customerId);
    response
      .status(created ? 201 : 200)
      .location(`/orders/${orderId}`)
      .json({ orderId, status: order?.status, total: order?.total });
  });

  router.use('/orders', requireCustomer(deps.auth));

  router.get('/orders', async (request: Request, response: Response) => {
    const query = listOrdersQuerySchema.safeParse(request.query);
    if (!query.success) return sendProblem(response, validationProblem('Expected valid query parameters', violationsOf(query.error)));
    const { items, total } = await deps.orders.list({ ...query.data, customerId: customerIdOf(response) });
    response.json({ items, page: query.data.page, pageSize: query.data.pageSize, total });
  });

  router.get('/orders/:id', async (request: Request<{ id: string }>, response: Response) => {
    const order = await deps.orders.findView(request.params.id, customerIdOf(response));
    if (!order) throw new OrderNotFoundError(request.params.id);
    response.json(order);
  });

  router.post('/orders/:id/cancel', noBody, async (request: Request<{ id: string }>, response: Response) => {
    const orderId = request.params.id;
    await requestOrderCancellation(orderId, { by: CancelRequester.CUSTOMER, customerId: customerIdOf(response) }, deps);
    logger.info({ orderId }, 'Order cancellation requested');
    response.status(202).json({ orderId, cancellationRequested: true });
  });

  return router;
}
