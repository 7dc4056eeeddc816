import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { InboxBatches, plainSqlOf } from '../../../../lib/database/index.js';
import { Consumer, type MessageHandlers, type RabbitConnection, type TopologyNames } from '../../../../infra/messaging/index.js';
import type { ShippingDatabase } from '../../data-access/shipping-database.js';
import { ShipmentRepository } from '../../data-access/shipment-repository.js';
import { shipGoods } from '../../domain/ship-goods.js';

export interface ShippingCommandsConsumerOptions {
  connection: RabbitConnection;
  names: TopologyNames;
  db: ShippingDatabase;
  logger: Logger;
  prefetch?: number;
  retryDelayMs?: number;
  /** Called after a handled command committed, so the outbox relay publishes at once. */
  onCommitted?: () => void;
  metrics?: Registry;
}

/**
 * Consumes `<prefix>.shipping.commands`: every command runs once per message id (inbox), one at a time per
 * order, and commits with its event (outbox); the commands in hand share one transaction.
 */
export function startShippingCommandsConsumer({ connection, names, db, logger, prefetch = 10, retryDelayMs, onCommitted, metrics }: ShippingCommandsConsumerOptions): Promise<Consumer> {
  const consumerLogger = logger.child({ component: 'shipping-commands' });
  const inbox = new InboxBatches(plainSqlOf(db), { maxBatchSize: prefetch, logger: consumerLogger });
  const handlers: MessageHandlers = {
    'shipping.ship': async (message, context) => {
      const handled = await inbox.handleOnce(message.id, (tx, outbox) => shipGoods(new ShipmentRepository(tx), outbox, message), { serializeOn: message.payload.orderId });
      if (handled.outcome === 'duplicate') return context.logger.debug({ orderId: message.correlationId, messageId: message.id }, 'Duplicate command skipped');
      onCommitted?.();
      const { shipment, replayed } = handled.result;
      context.logger.info({ orderId: message.correlationId, messageId: message.id, shipmentId: shipment.id, status: shipment.status, replayed }, 'Ship command handled');
    },
  };
  return Consumer.start({
    connection,
    logger: consumerLogger,
    names,
    source: { kind: 'commands', service: 'shipping' },
    handlers,
    prefetch,
    metrics,
    ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
  });
}
