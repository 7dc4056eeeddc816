import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createDomainMetrics, createMetricsRegistry } from '../../lib/metrics/index.js';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';
import type { OpsTokens } from '../../lib/http/ops-auth.js';
import { connectionFor, loadDatabaseConfig, plainSqlOf, startOutboxRelay, type DatabaseConfig } from '../../lib/database/index.js';
import { Publisher, RabbitConnection, loadMessagingConfig, topologyNames, publishOutboxWith, type Consumer, type MessagingConfig } from '../../infra/messaging/index.js';
import { createPaymentDatabase } from './data-access/payment-database.js';
import { createHttpApp } from './entry-points/http/http-app.js';
import { startPaymentCommandsConsumer } from './entry-points/messaging/payment-commands-consumer.js';
import { devCustomerAuthConfig, type CustomerAuthConfig } from '../../lib/http/customer-auth.js';
import { DEFAULT_CORS_ORIGINS, DEV_FINGERPRINT_KEY } from './payment-config.js';

export interface PaymentServiceOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  database?: DatabaseConfig;
  messaging?: MessagingConfig;
  /** The HMAC key of card fingerprints. */
  fingerprintKey?: string;
  /** How customer tokens are verified; the development secret unless given. */
  auth?: CustomerAuthConfig;
  /** Origins whose pages may call the card endpoints. */
  corsOrigins?: readonly string[];
  logger?: Logger;
  /** The service clock: cards are expired or not against it. Tests pass a fixed one. */
  clock?: () => Date;
  /** How long a failed command waits before it is redelivered. */
  retryDelayMs?: number;
  /** This service's metrics registry; a fresh one unless given. */
  metrics?: Registry;
  /** How often the outbox relay polls when no notification arrives. */
  outboxPollMs?: number;
  /** Who may call the operator endpoints; without tokens they answer 401 to everyone. */
  opsTokens?: OpsTokens;
}

export interface PaymentService {
  port: number;
  /** The command consumer; tests await its acks instead of sleeping. */
  commandConsumer: Consumer;
  close(): Promise<void>;
}

/**
 * Starts the Payment service: tokenizes and updates cards over HTTP, consumes payment commands, and
 * relays its outbox to the events exchange.
 * @throws when PostgreSQL or RabbitMQ cannot be reached; what was started is closed again.
 */
export async function startPaymentService(options: PaymentServiceOptions = {}): Promise<PaymentService> {
  const logger = (options.logger ?? pino({ name: 'payment' })).child({ service: 'payment' });
  const metrics = options.metrics ?? createMetricsRegistry('payment');
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.warn({ err: error }, 'Close failed'));
  };
  try {
    const database = options.database ?? loadDatabaseConfig();
    const db = createPaymentDatabase(database);
    closers.push(() => db.$disconnect());

    const messaging = options.messaging ?? loadMessagingConfig();
    const names = topologyNames(messaging.prefix);
    const connection = await RabbitConnection.connect({ url: messaging.url, logger, connectionName: 'orderflow-payment' });
    closers.push(() => connection.close());
    const publisher = await Publisher.create({ connection, logger, names, metrics });
    closers.push(() => publisher.close());
    const relay = startOutboxRelay({
      db: plainSqlOf(db),
      publish: publishOutboxWith(publisher, createDomainMetrics(metrics, 'payments').observe),
      logger: logger.child({ component: 'outbox-relay' }),
      listenOn: connectionFor('payment', database),
      ...(options.outboxPollMs === undefined ? {} : { pollIntervalMs: options.outboxPollMs }),
    });
    closers.push(() => relay.stop());

    const commandConsumer = await startPaymentCommandsConsumer({
      connection,
      metrics,
      names,
      db,
      logger,
      clock: options.clock ?? (() => new Date()),
      onEventsEnqueued: () => relay.wake(),
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
    closers.push(() => commandConsumer.stop());

    const app = createHttpApp({
      metrics,
      db,
      fingerprintKey: options.fingerprintKey ?? DEV_FINGERPRINT_KEY,
      auth: options.auth ?? devCustomerAuthConfig,
      corsOrigins: options.corsOrigins ?? DEFAULT_CORS_ORIGINS,
      opsTokens: options.opsTokens ?? {},
      logger: logger.child({ component: 'http' }),
      onEventsEnqueued: () => relay.wake(),
    });
    const server = await listen(app, options.port ?? 3001, options.host ?? '127.0.0.1');
    closers.push(() => closeServer(server));
    return { port: boundPort(server), commandConsumer, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
