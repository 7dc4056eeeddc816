import type { OutboxEnvelope } from '../../lib/database/index.js';
import type { Message } from './contract/index.js';
import type { Publisher } from './publisher.js';

/**
 * What an outbox relay calls to publish a row: the row minus its routing key is the contract
 * envelope; the publisher validates it again and resolves after the broker's confirm.
 * `onConfirmed` is told of each confirmed message (a service's business counters).
 */
export function publishOutboxWith(publisher: Publisher, onConfirmed?: (message: Message) => void): (envelope: OutboxEnvelope) => Promise<void> {
  return async ({ routingKey: _routingKey, causationId, ...envelope }) => {
    const message = { ...envelope, ...(causationId === undefined ? {} : { causationId }) } as Message;
    await publisher.publish(message);
    onConfirmed?.(message);
  };
}
