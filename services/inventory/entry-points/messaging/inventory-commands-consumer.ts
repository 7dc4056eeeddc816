import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { InboxBatches, plainSqlOf } from '../../../../lib/database/index.js';
import { Consumer, type MessageHandlers, type RabbitConnection, type TopologyNames } from '../../../../infra/messaging/index.js';
import type { InventoryDatabase } from '../../data-access/inventory-database.js';
import { ReservationRepository } from '../../data-access/reservation-repository.js';
import { releaseGoods } from '../../domain/release-goods.js';
import { reserveGoods } from '../../domain/reserve-goods.js';

export interface InventoryCommandsConsumerOptions {
  connection: RabbitConnection;
  names: TopologyNames;
  db: InventoryDatabase;
  logger: Logger;
  /** Also the most commands handled in one transaction; orders racing for the same SKU queue on its row lock. */
  prefetch?: number;
  retryDelayMs?: number;
  /** Called after a handled command committed, so the outbox relay publishes at once. */
  onCommitted?: () => void;
  metrics?: Registry;
}

/**
 * Consumes `<prefix>.inventory.commands`: every command runs once per message id (inbox), one at a time
 * per order (two re-sent reserves, a reserve racing a release), and commits with its event (outbox); the commands in hand share one transaction.
 */
export function startInventoryCommandsConsumer({ connection, names, db, logger, prefetch = 10, retryDelayMs, onCommitted, metrics }: InventoryCommandsConsumerOptions): Promise<Consumer> {
  const consumerLogger = logger.child({ component: 'inventory-commands' });
  const inbox = new InboxBatches(plainSqlOf(db), { maxBatchSize: prefetch, logger: consumerLogger });
  const handlers: MessageHandlers = {
    'inventory.reserve': async (message, context) => {
      const handled = await inbox.handleOnce(message.id, (tx, outbox) => reserveGoods(new ReservationRepository(tx), outbox, message), { serializeOn: message.payload.orderId });
      if (handled.outcome === 'duplicate') return context.logger.debug({ orderId: message.correlationId, messageId: message.id }, 'Duplicate command skipped');
      onCommitted?.();
      context.logger.info({ orderId: message.correlationId, messageId: message.id, outcome: handled.result.outcome }, 'Reserve command handled');
    },
    'inventory.release': async (message, context) => {
      const handled = await inbox.handleOnce(message.id, (tx, outbox) => releaseGoods(new ReservationRepository(tx), outbox, message), { serializeOn: message.payload.orderId });
      if (handled.outcome === 'duplicate') return context.logger.debug({ orderId: message.correlationId, messageId: message.id }, 'Duplicate command skipped');
      onCommitted?.();
      context.logger.info({ orderId: message.correlationId, messageId: message.id, outcome: handled.result.outcome }, 'Release command handled');
    },
  };
  return Consumer.start({
    connection,
    logger: consumerLogger,
    names,
    source: { kind: 'commands', service: 'inventory' },
    handlers,
    prefetch,
    metrics,
    ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
  });
}
