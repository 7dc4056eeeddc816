import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import {
  bearerTokenOf,
  customerIdOf,
  CustomerTokenError,
  requireCustomer,
  sendUnauthorized,
  signCustomerToken,
  verifyCustomerToken,
  type CustomerAuthConfig,
} from '../../../../lib/http/customer-auth.js';
import { noBody } from '../../../../lib/http/json-bodies.js';
import type { OrderChangeListener } from '../../data-access/order-change-listener.js';
import type { OrderRepository } from '../../data-access/order-repository.js';
import { OrderNotFoundError } from '../../domain/errors.js';
import { EVENT_STREAM_HEADERS, OrderEventStream } from './order-event-stream.js';

/** The scope of a stream token: it opens one order's event stream and nothing else. */
export const ORDER_EVENTS_SCOPE = 'order-events';
/** Long enough to open the stream; an open stream stays open, a reconnect needs a fresh token. */
export const STREAM_TOKEN_TTL_SECONDS = 60;
const DEFAULT_HEARTBEAT_MS = 15_000;

export interface OrderEventsRoutesDependencies {
  orders: OrderRepository;
  changes: OrderChangeListener;
  auth: CustomerAuthConfig;
  logger: Logger;
  /** How often an idle stream sends a comment, so proxies keep it open. */
  heartbeatMs?: number;
  /** Where `orderflow_order_event_streams` (streams open now) is registered. */
  metrics?: Registry;
}

export interface OrderEventsRoutes {
  router: Router;
  /** Ends every open stream: the HTTP server cannot close while they are open. */
  closeStreams(): void;
}

/**
 * `GET /orders/:id/events`: the order's status and timeline as server-sent events, history first.
 * A browser's EventSource cannot send an Authorization header, so the stream also accepts
 * `?access_token=` with a stream token from `POST /orders/:id/event-stream-tokens`: valid for
 * 60 s, for this one order and only for opening its stream (a customer token is refused there, and a
 * stream token is refused everywhere else), so a URL that ends up in a log is worth little.
 */
export function orderEventsRoutes(deps: OrderEventsRoutesDependencies): OrderEventsRoutes {
  const router = Router();
  const logger = deps.logger.child({ component: 'order-events' });
  const streams = new Set<OrderEventStream>();
  if (deps.metrics) {
    new Gauge({ name: 'orderflow_order_event_streams', help: 'Order event streams open now', registers: [deps.metrics], collect() { this.set(streams.size); } });
  }

  router.post('/orders/:id/event-stream-tokens', requireCustomer(deps.auth), noBody, async (request: Request<{ id: string }>, response: Response) => {
    const customerId = customerIdOf(response);
    const order = await deps.orders.findView(request.params.id, customerId);
    if (!order) throw new OrderNotFoundError(request.params.id);
    const token = await signCustomerToken(customerId, deps.auth, { ttlSeconds: STREAM_TOKEN_TTL_SECONDS, scope: ORDER_EVENTS_SCOPE, claims: { orderId: order.orderId } });
    response.status(201).set('Cache-Control', 'no-store').json({ token, expiresInSeconds: STREAM_TOKEN_TTL_SECONDS });
  });

  router.get('/orders/:id/events', async (request: Request<{ id: string }>, response: Response) => {
    const orderId = request.params.id;
    let customerId: string;
    try {
      customerId = await streamCustomerOf(request, orderId, deps.auth);
    } catch (error) {
      if (error instanceof CustomerTokenError) return sendUnauthorized(response, error, streamTokenField(request));
      throw error;
    }
    const read = () => deps.orders.findView(orderId, customerId);
    if (request.method === 'HEAD') {
      // Express answers HEAD with the GET route: the same checks and headers, but no stream is opened.
      if (!(await read())) throw new OrderNotFoundError(orderId);
      response.status(200).set(EVENT_STREAM_HEADERS).end();
      return;
    }
    const stream = new OrderEventStream({
      orderId,
      read,
      changes: deps.changes,
      response,
      logger,
      heartbeatMs: deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      onClose: () => streams.delete(stream),
    });
    // The response, not the request: a request's 'close' fires once its body is read. Registered
    // before the first read, so a client gone during it still releases the subscription.
    response.on('close', () => stream.close());
    const first = await read().catch((error: unknown) => (stream.close(), Promise.reject(error)));
    if (!first) {
      stream.close();
      throw new OrderNotFoundError(orderId);
    }
    if (response.destroyed) return stream.close();
    streams.add(stream);
    await stream.start(first);
  });

  return { router, closeStreams: () => [...streams].forEach((stream) => stream.close()) };
}

/** Where the token a refusal is about came from: the header wins, as in `streamCustomerOf`. */
function streamTokenField(request: Request): string {
  return !bearerTokenOf(request.get('Authorization')) && typeof request.query.access_token === 'string' ? 'access_token' : 'Authorization';
}

/** The customer of a bearer customer token, or of a stream token for this order in the query. */
async function streamCustomerOf(request: Request, orderId: string, auth: CustomerAuthConfig): Promise<string> {
  const bearer = bearerTokenOf(request.get('Authorization'));
  if (bearer) return (await verifyCustomerToken(bearer, auth)).customerId;
  const queryToken = request.query.access_token;
  if (typeof queryToken !== 'string' || queryToken.length === 0) {
    throw new CustomerTokenError('Expected an Authorization header or an access_token stream token, but neither was sent', true);
  }
  const { customerId, claims } = await verifyCustomerToken(queryToken, auth, ORDER_EVENTS_SCOPE);
  if (claims.orderId !== orderId) throw new CustomerTokenError('Expected a stream token for this order, but it is for another', false);
  return customerId;
}
