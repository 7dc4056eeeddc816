/**
 * The message bridge: turns the services' events into Zeebe messages the checkout process waits for
 * (processes/checkout-contract.md, "Messages"). It consumes its own queue on the events exchange and acks
 * an event only after the engine accepted the message, so nothing is lost when the engine is down.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Consumer, type Envelope, type EventType, type MessageHandlers, type RabbitConnection, type TopologyNames } from '../infra/messaging/index.js';
import type { ZeebeGrpcClient } from './zeebe-client.js';

type Variables = Record<string, unknown>;
type VariablesOf<T extends EventType> = (payload: Envelope<T>['payload']) => Variables;

/**
 * Every bridged event and the variables its message carries into the process. The BPMN message name is
 * the event type. Only what the process or an operator can use is copied; `orderId` is the correlation key.
 */
export const bridgedEvents = {
  'payment.charged': ({ paymentId, cardLast4 }) => ({ paymentId, cardLast4 }),
  'payment.declined': ({ reason }) => ({ declineReason: reason }),
  'payment.card-expired': ({ cardLast4 }) => ({ cardLast4 }),
  'payment.card-updated': ({ cardToken, cardLast4 }) => ({ cardToken, cardLast4 }),
  'inventory.reserved': () => ({}),
  'inventory.out-of-stock': ({ unavailable }) => ({ unavailable }),
  'shipping.shipped': ({ shipmentId, trackingNumber }) => ({ shipmentId, trackingNumber }),
  'shipping.rejected': ({ reason }) => ({ rejectionReason: reason }),
} satisfies { [T in EventType]?: VariablesOf<T> };

export type BridgedEventType = keyof typeof bridgedEvents;
export const bridgedEventTypes = Object.keys(bridgedEvents) as BridgedEventType[];

/** The subscriber name of the bridge's queue: `<prefix>.message-bridge.events`. */
export const messageBridgeSubscriber = 'message-bridge';

export interface MessageBridgeOptions {
  connection: RabbitConnection;
  names: TopologyNames;
  zeebe: ZeebeGrpcClient;
  logger: Logger;
  /** How long the engine buffers a message no instance waits for yet (an event that overtook its catch event). */
  messageTimeToLiveMs?: number;
  prefetch?: number;
  /** A failed publishMessage (engine down) is retried after this delay… */
  retryDelayMs?: number;
  /** …this many times in all before the event is dead-lettered. The default covers about five minutes of downtime. */
  maxDeliveries?: number;
  /** Where the bridge's consumer records acks, retries and latency. */
  metrics?: Registry;
}

/** gRPC ALREADY_EXISTS: a message with this id was published before (a redelivered event). */
const grpcAlreadyExists = 6;

/**
 * Starts consuming; resolves once the queue is bound. Await `consumer.waitFor('ack', n)` to know events were bridged.
 * A message is published with `messageId` = event id, so a redelivered event correlates once (Zeebe docs,
 * "Message correlation › Message uniqueness").
 */
export function startMessageBridge(options: MessageBridgeOptions): Promise<Consumer> {
  const logger = options.logger.child({ component: 'message-bridge' });
  const timeToLive = options.messageTimeToLiveMs ?? 3_600_000;
  const handlers: MessageHandlers = {};
  for (const type of bridgedEventTypes) {
    const variablesOf = bridgedEvents[type] as VariablesOf<EventType>;
    handlers[type] = async (event, context) => {
      try {
        await options.zeebe.publishMessage({
          name: type,
          correlationKey: event.correlationId,
          messageId: event.id,
          timeToLive,
          // Payloads are JSON by contract (zod-validated), so their fields are JSON too.
          variables: variablesOf(event.payload) as Parameters<ZeebeGrpcClient['publishMessage']>[0]['variables'],
        });
        context.logger.info({ orderId: event.correlationId, messageId: event.id, messageName: type }, 'event published as message');
      } catch (error) {
        if ((error as { code?: unknown }).code !== grpcAlreadyExists) throw error;
        context.logger.info({ orderId: event.correlationId, messageId: event.id, messageName: type }, 'message already published, event acknowledged');
      }
    };
  }
  return Consumer.start({
    connection: options.connection,
    names: options.names,
    logger,
    source: { kind: 'events', subscriber: messageBridgeSubscriber, eventTypes: bridgedEventTypes },
    handlers,
    prefetch: options.prefetch ?? 50,
    retryDelayMs: options.retryDelayMs ?? 2_000,
    maxDeliveries: options.maxDeliveries ?? 150,
    metrics: options.metrics,
  });
}
