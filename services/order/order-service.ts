import { setTimeout as delay } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createDomainMetrics, createMetricsRegistry } from '../../lib/metrics/index.js';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';
import { connectionFor, loadDatabaseConfig, type DatabaseConfig } from '../../lib/database/index.js';
import { devCustomerAuthConfig, type CustomerAuthConfig } from '../../lib/http/customer-auth.js';
import type { OpsTokens } from '../../lib/http/ops-auth.js';
import { RabbitConnection, loadMessagingConfig, topologyNames, type Consumer, type MessagingConfig } from '../../infra/messaging/index.js';
import { CheckoutProcessClient, zeebeSettingsFromEnvironment } from './checkout-process/checkout-process-client.js';
import { startCheckoutStarter } from './checkout-process/checkout-starter.js';
import { createOrderDatabase } from './data-access/order-database.js';
import { startOrderChangeListener } from './data-access/order-change-listener.js';
import { OrderProjectionRepository } from './data-access/order-projection-repository.js';
import { OrderRepository } from './data-access/order-repository.js';
import { ProductRepository } from './data-access/product-repository.js';
import { catalogSeed } from './domain/catalog-seed.js';
import { StuckOrderWatchdog, defaultStuckOrderSettings, type StuckOrderSettings } from './domain/stuck-order-watchdog.js';
import { createHttpApp } from './entry-points/http/http-app.js';
import { startOrderEventsConsumer } from './entry-points/messaging/order-events-consumer.js';
import { DEFAULT_PAYMENT_PUBLIC_URL, defaultPlaceOrderRateLimit } from './order-config.js';

export interface OrderServiceOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  database?: DatabaseConfig;
  messaging?: MessagingConfig;
  /** `@camunda8/sdk` settings; the SDK's environment variables with local defaults unless given. */
  zeebe?: Record<string, unknown>;
  logger?: Logger;
  /** How often the checkout starter retries orders whose process did not start. */
  checkoutStartPollMs?: number;
  /** How long a failed event waits before it is redelivered. */
  retryDelayMs?: number;
  /** This service's metrics registry; a fresh one unless given. */
  metrics?: Registry;
  /** How often the stuck-order watchdog looks, and after how long an order counts as stuck. */
  stuckOrders?: StuckOrderSettings;
  /** The tokens of `/ops/*`; those endpoints answer 401 without them. */
  opsTokens?: OpsTokens;
  /** How customer tokens are verified; the development secret unless given. */
  auth?: CustomerAuthConfig;
  /** Whether `POST /dev/login` is served; by default exactly when the development secret is in use. */
  devLogin?: boolean;
  placeOrderRateLimit?: { limit: number; windowMs: number };
  /** The Payment service's origin as the shopper's browser reaches it. */
  paymentPublicUrl?: string;
  /** How often an idle order event stream sends a keep-alive comment. */
  eventStreamHeartbeatMs?: number;
}

export interface OrderService {
  port: number;
  /** The event projection's consumer; tests await its acks instead of sleeping. */
  projectionConsumer: Consumer;
  close(): Promise<void>;
}

/**
 * Starts the Order service: seeds the catalog, deploys checkout.bpmn, consumes the services' events into
 * the order projection, starts checkout processes for placed orders, and serves HTTP.
 * @throws when PostgreSQL, RabbitMQ or the Zeebe gateway cannot be reached; what was started is closed again.
 */
export async function startOrderService(options: OrderServiceOptions = {}): Promise<OrderService> {
  const logger = (options.logger ?? pino({ name: 'order' })).child({ service: 'order' });
  const metrics = options.metrics ?? createMetricsRegistry('order');
  const orderMetrics = createDomainMetrics(metrics, 'orders');
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.warn({ err: error }, 'Close failed'));
  };
  try {
    const db = createOrderDatabase(options.database ?? loadDatabaseConfig());
    closers.push(() => db.$disconnect());
    const products = new ProductRepository(db);
    const orders = new OrderRepository(db);
    const seeded = await products.seed(catalogSeed);
    if (seeded > 0) logger.info({ seeded }, 'Catalog seeded');

    const checkout = CheckoutProcessClient.connect(options.zeebe ?? zeebeSettingsFromEnvironment());
    closers.push(() => checkout.close());
    const deployment = await deployWithRetries(checkout, logger);
    logger.info(deployment, 'Checkout process deployed');

    const messaging = options.messaging ?? loadMessagingConfig();
    const connection = await RabbitConnection.connect({ url: messaging.url, logger, connectionName: 'orderflow-order' });
    closers.push(() => connection.close());
    const projectionConsumer = await startOrderEventsConsumer({
      connection,
      names: topologyNames(messaging.prefix),
      projection: new OrderProjectionRepository(db),
      metrics,
      logger,
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
    closers.push(() => projectionConsumer.stop());
    projectionConsumer.on('ack', (acked: { type?: string }) => orderMetrics.observe(acked));
    const watchdog = new StuckOrderWatchdog({ db, logger, metrics, ...(options.stuckOrders ?? defaultStuckOrderSettings) });
    watchdog.start();
    closers.push(() => watchdog.stop());

    const starter = startCheckoutStarter({ db, process: checkout, logger: logger.child({ component: 'checkout-starter' }), pollIntervalMs: options.checkoutStartPollMs });
    closers.push(() => starter.stop());

    const database = options.database ?? loadDatabaseConfig();
    const changes = startOrderChangeListener({ connection: connectionFor('order', database), logger: logger.child({ component: 'order-change-listener' }) });
    closers.push(() => changes.close());
    await changes.ready;

    const auth = options.auth ?? devCustomerAuthConfig;
    const http = createHttpApp({
      orders,
      products,
      logger,
      auth,
      devLogin: options.devLogin ?? auth.usingDevSecret,
      placeOrderRateLimit: options.placeOrderRateLimit ?? defaultPlaceOrderRateLimit,
      paymentPublicUrl: options.paymentPublicUrl ?? DEFAULT_PAYMENT_PUBLIC_URL,
      changes,
      ...(options.eventStreamHeartbeatMs === undefined ? {} : { heartbeatMs: options.eventStreamHeartbeatMs }),
      metrics,
      operator: { watchdog, opsTokens: options.opsTokens ?? {} },
      onOrderPlaced: () => {
        orderMetrics.count('placed');
        starter.wake();
      },
      requestCancel: (orderId, requestedBy) => checkout.requestCancel(orderId, requestedBy),
    });
    const server = await listen(http.app, options.port ?? 3000, options.host ?? '127.0.0.1');
    closers.push(() => closeServer(server));
    // Runs before the server closes (closers run in reverse): open streams would keep it open.
    closers.push(async () => http.closeStreams());
    const port = boundPort(server);
    return { port, projectionConsumer, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The engine may still be starting when the services start (`npm start` launches them together). */
async function deployWithRetries(checkout: CheckoutProcessClient, logger: Logger, attempts = 10) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await checkout.deploy();
    } catch (error) {
      if (attempt >= attempts) throw new Error(`Expected the Zeebe gateway to accept checkout.bpmn, but ${attempts} attempts failed`, { cause: error });
      logger.warn({ err: error, attempt }, 'Checkout deployment failed; retrying');
      await delay(Math.min(5_000, 200 * 2 ** attempt));
    }
  }
}
