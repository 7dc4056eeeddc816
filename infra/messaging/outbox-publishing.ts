import type { OutboxEnvelope } from '../../lib/database/index.js';
import type { Message } from './contract/index.js';
import type { Publisher } from './publisher.js';

/**
 * What an outbox relay calls to publish a row: the row minus its routing key is the contract
 * envelope; the publisher validates it again and resolves after the broker's confirm.
 */
export function publishOutboxWith(publisher: Publisher): (envelope: OutboxEnvelope) => Promise<void> {
  return async ({ routingKey: _routingKey, causationId, ...envelope }) => {
    await publisher.publish({ ...envelope, ...(causationId === undefined ? {} : { causationId }) } as Message);
  };
}
