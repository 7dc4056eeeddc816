import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createDomainMetrics, createMetricsRegistry } from '../../lib/metrics/index.js';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';
import type { OpsTokens } from '../../lib/http/ops-auth.js';
import { connectionFor, loadDatabaseConfig, plainSqlOf, startOutboxRelay, type DatabaseConfig } from '../../lib/database/index.js';
import { Publisher, RabbitConnection, loadMessagingConfig, topologyNames, publishOutboxWith, type Consumer, type MessagingConfig } from '../../infra/messaging/index.js';
import { createInventoryDatabase } from './data-access/inventory-database.js';
import { StockRepository } from './data-access/stock-repository.js';
import { DEFAULT_SEED_QUANTITY, seedSkus } from './domain/seed-stock.js';
import { createHttpApp } from './entry-points/http/http-app.js';
import { startInventoryCommandsConsumer } from './entry-points/messaging/inventory-commands-consumer.js';

export interface InventoryServiceOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  database?: DatabaseConfig;
  messaging?: MessagingConfig;
  logger?: Logger;
  /** Units of every seeded SKU created at first start. */
  seedQuantity?: number;
  /** How long a failed command waits before it is redelivered. */
  retryDelayMs?: number;
  /** This service's metrics registry; a fresh one unless given. */
  metrics?: Registry;
  prefetch?: number;
  /** Who may call the operator endpoints; without tokens they answer 401 to everyone. */
  opsTokens?: OpsTokens;
}

export interface InventoryService {
  port: number;
  /** The command consumer; tests await its acks instead of sleeping. */
  commandConsumer: Consumer;
  close(): Promise<void>;
}

/**
 * Starts the Inventory service: seeds stock for the catalog's SKUs, consumes `inventory.reserve` and
 * `inventory.release`, relays its outbox to RabbitMQ, and serves the stock API.
 * @throws when PostgreSQL or RabbitMQ cannot be reached; what was started is closed again.
 */
export async function startInventoryService(options: InventoryServiceOptions = {}): Promise<InventoryService> {
  const logger = (options.logger ?? pino({ name: 'inventory' })).child({ service: 'inventory' });
  const metrics = options.metrics ?? createMetricsRegistry('inventory');
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.warn({ err: error }, 'Close failed'));
  };
  try {
    const database = options.database ?? loadDatabaseConfig();
    const db = createInventoryDatabase(database);
    closers.push(() => db.$disconnect());
    const stock = new StockRepository(db);
    const seeded = await stock.seed(seedSkus, options.seedQuantity ?? DEFAULT_SEED_QUANTITY);
    if (seeded > 0) logger.info({ seeded }, 'Stock seeded');

    const messaging = options.messaging ?? loadMessagingConfig();
    const names = topologyNames(messaging.prefix);
    const connection = await RabbitConnection.connect({ url: messaging.url, logger, connectionName: 'orderflow-inventory' });
    closers.push(() => connection.close());
    const publisher = await Publisher.create({ connection, logger, names, metrics });
    closers.push(() => publisher.close());
    const relay = startOutboxRelay({ db: plainSqlOf(db), publish: publishOutboxWith(publisher, createDomainMetrics(metrics, 'reservations').observe), logger: logger.child({ component: 'outbox-relay' }), listenOn: connectionFor('inventory', database) });
    closers.push(() => relay.stop());

    const commandConsumer = await startInventoryCommandsConsumer({
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

    const server = await listen(createHttpApp({ stock, logger, metrics, opsTokens: options.opsTokens ?? {} }), options.port ?? 3002, options.host ?? '127.0.0.1');
    closers.push(() => closeServer(server));
    return { port: boundPort(server), commandConsumer, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
