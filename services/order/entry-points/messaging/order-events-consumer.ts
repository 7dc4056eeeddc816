import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { BatchCoalescer } from '../../../../lib/batching/batch-coalescer.js';
import { Consumer, eventTypes, type EventType, type Message, type MessageHandler, type MessageHandlers, type RabbitConnection, type TopologyNames } from '../../../../infra/messaging/index.js';
import type { OrderProjectionRepository, ProjectionOutcome } from '../../data-access/order-projection-repository.js';

/** The queue `<prefix>.order-projection.events`, bound to every event type. */
export const ORDER_PROJECTION_SUBSCRIBER = 'order-projection';

export interface OrderEventsConsumerOptions {
  connection: RabbitConnection;
  names: TopologyNames;
  projection: OrderProjectionRepository;
  logger: Logger;
  prefetch?: number;
  retryDelayMs?: number;
  metrics?: Registry;
}

/**
 * Projects every service event onto its order (status, timeline); an event for an order this service
 * does not know is acked and logged. The events in hand are projected together, one transaction for
 * up to `prefetch` of them; each is acked once the transaction that holds it committed.
 */
export function startOrderEventsConsumer({ connection, names, projection, logger, prefetch = 20, retryDelayMs, metrics }: OrderEventsConsumerOptions): Promise<Consumer> {
  const consumerLogger = logger.child({ component: 'order-projection' });
  const batches = new BatchCoalescer<Message<EventType>, ProjectionOutcome>({
    applyBatch: (messages) => projection.applyAll(messages),
    applyOne: (message) => projection.apply(message),
    maxBatchSize: prefetch,
    logger: consumerLogger,
  });
  const project: MessageHandler<(typeof eventTypes)[number]> = async (message, context) => {
    const result = await batches.submit(message);
    if (result.outcome === 'unknown-order') context.logger.warn({ orderId: message.correlationId, messageId: message.id }, 'Event for an unknown order ignored');
    else if (result.outcome === 'duplicate') context.logger.debug({ orderId: message.correlationId, messageId: message.id }, 'Duplicate event skipped');
    else context.logger.debug({ orderId: message.correlationId, messageId: message.id, status: result.change.status }, 'Event projected');
  };
  const handlers = Object.fromEntries(eventTypes.map((type) => [type, project])) as MessageHandlers;
  return Consumer.start({
    connection,
    logger: consumerLogger,
    names,
    source: { kind: 'events', subscriber: ORDER_PROJECTION_SUBSCRIBER, eventTypes },
    handlers,
    prefetch,
    metrics,
    ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
  });
}
