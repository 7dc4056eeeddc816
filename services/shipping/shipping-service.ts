import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createDomainMetrics, createMetricsRegistry } from '../../lib/metrics/index.js';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';
import type { OpsTokens } from '../../lib/http/ops-auth.js';
import { connectionFor, loadDatabaseConfig, plainSqlOf, startOutboxRelay, type DatabaseConfig } from '../../lib/database/index.js';
import { Publisher, RabbitConnection, loadMessagingConfig, topologyNames, publishOutboxWith, type Consumer, type MessagingConfig } from '../../infra/messaging/index.js';
import { ShipmentRepository } from './data-access/shipment-repository.js';
import { createShippingDatabase } from './data-access/shipping-database.js';
import { createHttpApp } from './entry-points/http/http-app.js';
import { startShippingCommandsConsumer } from './entry-points/messaging/shipping-commands-consumer.js';

export interface ShippingServiceOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  database?: DatabaseConfig;
  messaging?: MessagingConfig;
  logger?: Logger;
  /** How long a failed command waits before it is redelivered. */
  retryDelayMs?: number;
  /** This service's metrics registry; a fresh one unless given. */
  metrics?: Registry;
  prefetch?: number;
  /** Who may call the operator endpoints; without tokens they answer 401 to everyone. */
  opsTokens?: OpsTokens;
}

export interface ShippingService {
  port: number;
  /** The command consumer; tests await its acks instead of sleeping. */
  commandConsumer: Consumer;
  close(): Promise<void>;
}

/**
 * Starts the Shipping service: consumes `shipping.ship`, relays its outbox to RabbitMQ, and serves the shipments API.
 * @throws when PostgreSQL or RabbitMQ cannot be reached; what was started is closed again.
 */
export async function startShippingService(options: ShippingServiceOptions = {}): Promise<ShippingService> {
  const logger = (options.logger ?? pino({ name: 'shipping' })).child({ service: 'shipping' });
  const metrics = options.metrics ?? createMetricsRegistry('shipping');
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.warn({ err: error }, 'Close failed'));
  };
  try {
    const database = options.database ?? loadDatabaseConfig();
    const db = createShippingDatabase(database);
    closers.push(() => db.$disconnect());

    const messaging = options.messaging ?? loadMessagingConfig();
    const names = topologyNames(messaging.prefix);
    const connection = await RabbitConnection.connect({ url: messaging.url, logger, connectionName: 'orderflow-shipping' });
    closers.push(() => connection.close());
    const publisher = await Publisher.create({ connection, logger, names, metrics });
    closers.push(() => publisher.close());
    const relay = startOutboxRelay({ db: plainSqlOf(db), publish: publishOutboxWith(publisher, createDomainMetrics(metrics, 'shipments').observe), logger: logger.child({ component: 'outbox-relay' }), listenOn: connectionFor('shipping', database) });
    closers.push(() => relay.stop());

    const commandConsumer = await startShippingCommandsConsumer({
      connection,
      metrics,
      names,
      db,
      logger,
      onCommitted: () => relay.wake(),
      ...(options.prefetch === undefined ? {} : { prefetch: options.prefetch }),
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
    closers.push(() => commandConsumer.stop());

    const server = await listen(createHttpApp({ shipments: new ShipmentRepository(db), logger, metrics, opsTokens: options.opsTokens ?? {} }), options.port ?? 3003, options.host ?? '127.0.0.1');
    closers.push(() => closeServer(server));
    return { port: boundPort(server), commandConsumer, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
