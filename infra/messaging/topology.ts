import type { Channel } from 'amqplib';
import { commandServices, commandTypesOf, type CommandService, type EventType } from './contract/index.js';

/** Names of every exchange and queue, derived from one prefix so tests can run side by side. */
export interface TopologyNames {
  prefix: string;
  /** Topic exchange for events; routing key = event type. */
  eventsExchange: string;
  /** Direct exchange for commands; routing key = command type, bound to the owning service's queue. */
  commandsExchange: string;
  /** Direct exchange for poison and exhausted messages; routing key = the queue they came from. */
  deadLetterExchange: string;
}

export function topologyNames(prefix = 'orderflow'): TopologyNames {
  return {
    prefix,
    eventsExchange: `${prefix}.events`,
    commandsExchange: `${prefix}.commands`,
    deadLetterExchange: `${prefix}.dead-letter`,
  };
}

/** Where a consumer reads from: a service's command queue, or a subscriber's own queue of events. */
export type QueueSource =
  | { kind: 'commands'; service: CommandService }
  | { kind: 'events'; subscriber: string; eventTypes: readonly EventType[] };

export interface QueueBinding {
  exchange: string;
  routingKey: string;
}

export interface ConsumerQueue {
  queue: string;
  deadLetterQueue: string;
  retryQueue: string;
  bindings: QueueBinding[];
}

export function commandQueueName(names: TopologyNames, service: CommandService): string {
  return `${names.prefix}.${service}.commands`;
}

export function resolveConsumerQueue(names: TopologyNames, source: QueueSource): ConsumerQueue {
  const queue = source.kind === 'commands' ? commandQueueName(names, source.service) : `${names.prefix}.${source.subscriber}.events`;
  const bindings =
    source.kind === 'commands'
      ? commandTypesOf(source.service).map((routingKey) => ({ exchange: names.commandsExchange, routingKey }))
      : source.eventTypes.map((routingKey) => ({ exchange: names.eventsExchange, routingKey }));
  return { queue, deadLetterQueue: `${queue}.dead-letter`, retryQueue: `${queue}.retry`, bindings };
}

export async function declareExchanges(channel: Channel, names: TopologyNames): Promise<void> {
  await channel.assertExchange(names.eventsExchange, 'topic', { durable: true });
  await channel.assertExchange(names.commandsExchange, 'direct', { durable: true });
  await channel.assertExchange(names.deadLetterExchange, 'direct', { durable: true });
}

/**
 * Declares a queue with its dead-letter queue and bindings. The arguments must be identical wherever
 * the queue is declared (publisher and consumer), or RabbitMQ refuses with PRECONDITION_FAILED.
 */
async function declareQueueWithDeadLetter(channel: Channel, names: TopologyNames, target: ConsumerQueue): Promise<void> {
  await channel.assertQueue(target.deadLetterQueue, { durable: true });
  await channel.bindQueue(target.deadLetterQueue, names.deadLetterExchange, target.queue);
  // Broker-side dead-lettering (a reject without requeue, an operator's policy) lands in the same place as ours.
  await channel.assertQueue(target.queue, {
    durable: true,
    arguments: { 'x-dead-letter-exchange': names.deadLetterExchange, 'x-dead-letter-routing-key': target.queue },
  });
  for (const binding of target.bindings) await channel.bindQueue(target.queue, binding.exchange, binding.routingKey);
}

/**
 * Declares every service's command queue. Publishers do this too, so a command sent before its service
 * ever started waits in the queue instead of being dropped as unroutable.
 */
export async function declareCommandQueues(channel: Channel, names: TopologyNames): Promise<void> {
  await declareExchanges(channel, names);
  for (const service of commandServices) {
    await declareQueueWithDeadLetter(channel, names, resolveConsumerQueue(names, { kind: 'commands', service }));
  }
}

/** Declares a consumer's queue, its dead-letter queue and its retry queue, whose TTL is the retry delay. */
export async function declareConsumerQueue(channel: Channel, names: TopologyNames, target: ConsumerQueue, retryDelayMs: number): Promise<void> {
  await declareExchanges(channel, names);
  await declareQueueWithDeadLetter(channel, names, target);
  // A failed message waits here for the delay, then expires back into the main queue through the default exchange.
  await channel.assertQueue(target.retryQueue, {
    durable: true,
    arguments: { 'x-message-ttl': retryDelayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': target.queue },
  });
}

/** Deletes everything under a prefix that a consumer queue created; for tests and tear-down scripts. */
export async function deleteTopology(channel: Channel, names: TopologyNames, queues: ConsumerQueue[]): Promise<void> {
  for (const target of queues) {
    for (const queue of [target.queue, target.deadLetterQueue, target.retryQueue]) await channel.deleteQueue(queue);
  }
  for (const exchange of [names.eventsExchange, names.commandsExchange, names.deadLetterExchange]) await channel.deleteExchange(exchange);
}
