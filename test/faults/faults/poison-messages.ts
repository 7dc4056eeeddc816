/**
 * Poison published straight into every consumer queue of the system, mid-stream: a body that is not
 * JSON, an unknown message type, a known type whose payload breaks its schema, and a valid message too
 * large to accept. Each has a message id of its own, so the checker can tell that exactly these, and
 * nothing else, ended in the dead-letter queues, while the orders around them went through.
 */
import { randomUUID } from 'node:crypto';
import { commandServices, commandTypesOf, eventTypes, resolveConsumerQueue, topologyNames, type ConsumerQueue, type MessageType } from '../../../infra/messaging/index.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../../infra/messaging/message-properties.js';
import { ORDER_PROJECTION_SUBSCRIBER } from '../../../services/order/entry-points/messaging/order-events-consumer.js';
import { bridgedEventTypes, messageBridgeSubscriber } from '../../../workers/message-bridge.js';
import type { BrokerProbe } from '../broker-probe.js';
import type { Fault, FaultContext } from './fault.js';

export const PoisonKind = {
  MALFORMED_JSON: 'malformed-json',
  UNKNOWN_TYPE: 'unknown-type',
  WRONG_SCHEMA: 'wrong-schema',
  OVERSIZED: 'oversized',
} as const;
export type PoisonKind = (typeof PoisonKind)[keyof typeof PoisonKind];

const envelope = (type: string, payload: unknown) => ({ id: randomUUID(), type, correlationId: randomUUID(), occurredAt: new Date().toISOString(), payload });

/** The body of each kind of poison, for a queue whose consumer handles `handledType`. */
function poisonBody(kind: PoisonKind, handledType: MessageType): Buffer {
  switch (kind) {
    case PoisonKind.MALFORMED_JSON:
      return Buffer.from('{"type": "payment.charge", "payload": {');
    case PoisonKind.UNKNOWN_TYPE:
      return Buffer.from(JSON.stringify(envelope('payment.teleport', { orderId: randomUUID() })));
    case PoisonKind.WRONG_SCHEMA:
      return Buffer.from(JSON.stringify(envelope(handledType, { orderId: 'not-a-uuid', surprise: true })));
    case PoisonKind.OVERSIZED:
      return Buffer.from(JSON.stringify({ ...envelope(handledType, { orderId: randomUUID() }), padding: 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES) }));
  }
}

/** Every consumer queue of the system, with a message type its consumer handles. */
function consumerQueues(prefix: string): { target: ConsumerQueue; handledType: MessageType }[] {
  const names = topologyNames(prefix);
  return [
    ...commandServices.map((service) => ({ target: resolveConsumerQueue(names, { kind: 'commands', service }), handledType: commandTypesOf(service)[0]! })),
    { target: resolveConsumerQueue(names, { kind: 'events', subscriber: messageBridgeSubscriber, eventTypes: bridgedEventTypes }), handledType: bridgedEventTypes[0]! },
    { target: resolveConsumerQueue(names, { kind: 'events', subscriber: ORDER_PROJECTION_SUBSCRIBER, eventTypes }), handledType: eventTypes[0]! },
  ];
}

export function poisonMessages(): Fault {
  const injectedIds: string[] = [];
  let purge: (() => Promise<void>) | undefined;
  return {
    injected: () => injectedIds.length,
    async start({ system, broker }: FaultContext) {
      const targets = consumerQueues(system.messaging.prefix);
      purge = () => purgeDeadLetters(broker, targets.map(({ target }) => target.deadLetterQueue));
      const connection = await broker.connect();
      try {
        const channel = await connection.createConfirmChannel();
        for (const { target: { queue }, handledType } of targets) {
          for (const kind of Object.values(PoisonKind)) {
            const messageId = `poison-${kind}-${randomUUID()}`;
            channel.sendToQueue(queue, poisonBody(kind, handledType), { persistent: true, messageId, contentType: 'application/json' });
            injectedIds.push(messageId);
          }
        }
        await channel.waitForConfirms();
      } finally {
        await connection.close();
      }
    },
    async end() {},
    expectations: () => ({ injectedPoisonIds: injectedIds }),
    // Once checked, the poison goes, so the scenarios after this one start with empty dead-letter queues.
    cleanUp: async () => purge?.(),
  };
}

async function purgeDeadLetters(broker: BrokerProbe, queues: readonly string[]): Promise<void> {
  const connection = await broker.connect();
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.purgeQueue(queue);
  } finally {
    await connection.close();
  }
}
