/**
 * Every message delivered twice, and out of order. A proxy takes over the bindings of every consumer
 * queue of the system (the three command queues, the message bridge's and the order projection's
 * event queues): the exchanges then route into a proxy queue of each, whose consumer holds messages
 * for a short window, shuffles them and re-publishes each twice, untouched (same id, properties and
 * body), to the original queue. At the end the bindings go back and the proxy drains. Publishers are
 * not touched: the broker is what duplicates and reorders, as redeliveries and retries do.
 */
import type { Channel, ConfirmChannel, ChannelModel, ConsumeMessage } from 'amqplib';
import { commandServices, eventTypes, resolveConsumerQueue, topologyNames, type ConsumerQueue } from '../../../infra/messaging/index.js';
import { ORDER_PROJECTION_SUBSCRIBER } from '../../../services/order/entry-points/messaging/order-events-consumer.js';
import { bridgedEventTypes, messageBridgeSubscriber } from '../../../workers/message-bridge.js';
import type { Fault, FaultContext } from './fault.js';

/** Messages arriving within this window are shuffled among themselves. */
const REORDER_WINDOW_MS = 400;
const COPIES = 2;

interface Interception {
  target: ConsumerQueue;
  proxyQueue: string;
  held: ConsumeMessage[];
  consumerTag?: string;
}

export interface DuplicateAndReorderCounts {
  /** Extra copies delivered. */
  duplicates: number;
  /** Messages delivered in another position than they arrived in. */
  reordered: number;
}

export function duplicateAndReorder(): Fault & { counts: DuplicateAndReorderCounts } {
  const counts: DuplicateAndReorderCounts = { duplicates: 0, reordered: 0 };
  let connection: ChannelModel | undefined;
  let channel: ConfirmChannel | undefined;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const interceptions: Interception[] = [];

  const flush = () => {
    flushing = flushing.then(async () => {
      for (const interception of interceptions) await forward(channel!, interception, counts);
    });
    return flushing;
  };

  const restore = async () => {
    if (!channel) return;
    if (timer) clearInterval(timer);
    timer = undefined;
    for (const interception of interceptions) {
      // Original binding first: for a moment a message may go both ways, which is one more duplicate, never a loss.
      for (const binding of interception.target.bindings) await channel.bindQueue(interception.target.queue, binding.exchange, binding.routingKey);
      for (const binding of interception.target.bindings) await channel.unbindQueue(interception.proxyQueue, binding.exchange, binding.routingKey);
    }
    await drainProxies(channel, interceptions, flush);
    for (const interception of interceptions) await channel.deleteQueue(interception.proxyQueue);
    interceptions.length = 0;
    await connection?.close().catch(() => undefined);
    connection = undefined;
    channel = undefined;
  };

  return {
    counts,
    injected: () => counts.duplicates + counts.reordered,
    async start({ system, broker }: FaultContext) {
      connection = await broker.connect();
      channel = await connection.createConfirmChannel();
      const names = topologyNames(system.messaging.prefix);
      const targets = [
        ...commandServices.map((service) => resolveConsumerQueue(names, { kind: 'commands', service })),
        resolveConsumerQueue(names, { kind: 'events', subscriber: messageBridgeSubscriber, eventTypes: bridgedEventTypes }),
        resolveConsumerQueue(names, { kind: 'events', subscriber: ORDER_PROJECTION_SUBSCRIBER, eventTypes }),
      ];
      for (const target of targets) {
        const interception: Interception = { target, proxyQueue: `${target.queue}.fault-proxy`, held: [] };
        await channel.assertQueue(interception.proxyQueue, { durable: true });
        for (const binding of target.bindings) await channel.bindQueue(interception.proxyQueue, binding.exchange, binding.routingKey);
        for (const binding of target.bindings) await channel.unbindQueue(target.queue, binding.exchange, binding.routingKey);
        interception.consumerTag = (await channel.consume(interception.proxyQueue, (message) => message && interception.held.push(message), { noAck: false })).consumerTag;
        interceptions.push(interception);
      }
      timer = setInterval(() => void flush(), REORDER_WINDOW_MS);
    },
    end: restore,
    cleanUp: restore,
  };
}

/** Re-publishes what the proxy holds, shuffled, each message twice; acks the originals once the broker confirmed the copies. */
async function forward(channel: ConfirmChannel, interception: Interception, counts: DuplicateAndReorderCounts): Promise<void> {
  const batch = interception.held.splice(0);
  if (batch.length === 0) return;
  const copies = shuffle(batch.flatMap((message) => Array.from({ length: COPIES }, () => message)));
  const firstPositions = new Map<ConsumeMessage, number>();
  copies.forEach((message, position) => firstPositions.has(message) || firstPositions.set(message, position));
  const deliveredOrder = [...firstPositions.entries()].sort((a, b) => a[1] - b[1]).map(([message]) => message);
  counts.reordered += deliveredOrder.filter((message, index) => batch[index] !== message).length;
  counts.duplicates += copies.length - batch.length;
  for (const message of copies) {
    channel.publish('', interception.target.queue, message.content, { ...message.properties, headers: message.properties.headers ?? {} });
  }
  await channel.waitForConfirms();
  for (const message of batch) channel.ack(message);
}

/** Cancels the proxy consumers once their queues are empty and everything held was forwarded. */
async function drainProxies(channel: Channel, interceptions: Interception[], flush: () => Promise<void>): Promise<void> {
  for (let round = 0; round < 50; round++) {
    await flush();
    const depths = await Promise.all(interceptions.map((interception) => channel.checkQueue(interception.proxyQueue)));
    if (depths.every((depth) => depth.messageCount === 0) && interceptions.every((interception) => interception.held.length === 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const interception of interceptions) if (interception.consumerTag) await channel.cancel(interception.consumerTag);
  await flush();
}

function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}
