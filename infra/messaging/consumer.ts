import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AwaitableEvents } from './awaitable-events.js';
import { decodeMessage, type Message, type MessageType } from './contract/index.js';
import { DeadLetterCode, deliveryCountOf, sendToDeadLetter, sendToRetry, type DeadLetterReason } from './dead-letter.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './message-properties.js';
import { messagingMetricsFor, type MessagingMetrics } from './messaging-metrics.js';
import type { RabbitConnection } from './rabbit-connection.js';
import { declareConsumerQueue, resolveConsumerQueue, type ConsumerQueue, type QueueSource, type TopologyNames } from './topology.js';

export interface HandlerContext {
  /** 1 on first delivery, raised by each retry; the broker's own redeliveries (after a lost ack) do not count. */
  deliveryCount: number;
  /** True when RabbitMQ may have delivered this message before (a lost ack): the inbox must dedupe. */
  redelivered: boolean;
  logger: Logger;
}

/** Handles one message; throwing means "retry later", up to `maxDeliveries`, then dead-letter. */
export type MessageHandler<T extends MessageType> = (message: Message<T>, context: HandlerContext) => Promise<void>;
export type MessageHandlers = { [T in MessageType]?: MessageHandler<T> };

export interface ConsumerOptions {
  connection: RabbitConnection;
  logger: Logger;
  names: TopologyNames;
  source: QueueSource;
  handlers: MessageHandlers;
  /** Unacked messages RabbitMQ hands this consumer at once; also the handler concurrency. */
  prefetch?: number;
  /** Deliveries (first + retries) before a failing message is dead-lettered. */
  maxDeliveries?: number;
  /** How long a failed message waits in the retry queue. Fixed per queue: it is a queue argument. */
  retryDelayMs?: number;
  maxMessageBytes?: number;
  /** The process's metrics registry; acks, retries, dead letters and consume latency are recorded on it. */
  metrics?: Registry;
}

interface Delivered {
  messageId: string | undefined;
  type: string | undefined;
}

export interface ConsumerEvents {
  ack: Delivered & { deliveryCount: number };
  retry: Delivered & { deliveryCount: number; reason: string };
  'dead-letter': Delivered & DeadLetterReason;
  reconnected: { queue: string };
  [event: string]: object;
}

/**
 * Consumes one queue with manual acks: a message is acked only after its handler succeeded or it was safely
 * moved (confirmed) to the retry or dead-letter queue, so a crash at any point loses nothing.
 * Poison messages never reach a handler and never block the queue. Resumes by itself after reconnection.
 */
export class Consumer extends AwaitableEvents<ConsumerEvents> {
  readonly queue: ConsumerQueue;
  private channel: ConfirmChannel | undefined;
  private readonly logger: Logger;
  private readonly metrics: MessagingMetrics | undefined;
  private readonly inProgress = new Set<Promise<void>>();
  private readonly hook = (model: ChannelModel) => this.subscribe(model);
  private subscriptions = 0;
  private stopped = false;

  private constructor(private readonly options: ConsumerOptions) {
    super();
    this.queue = resolveConsumerQueue(options.names, options.source);
    // A caller's component (`message-bridge`, `payment-commands`) says more than `consumer`: keep it.
    const named = options.logger.bindings().component !== undefined;
    this.logger = options.logger.child(named ? { queue: this.queue.queue } : { component: 'consumer', queue: this.queue.queue });
    this.metrics = options.metrics && messagingMetricsFor(options.metrics);
  }

  /** Declares the queue, its dead-letter and retry queues and bindings, and starts consuming. */
  static async start(options: ConsumerOptions): Promise<Consumer> {
    const consumer = new Consumer(options);
    await options.connection.addHook(consumer.hook);
    return consumer;
  }

  /** Stops taking new messages, lets handlers in progress finish, and closes the channel. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.options.connection.removeHook(this.hook);
    const channel = this.channel;
    this.channel = undefined;
    await Promise.allSettled([...this.inProgress]);
    await channel?.close().catch(() => undefined);
  }

  private async subscribe(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn({ err: error }, 'consumer channel error'));
    channel.once('close', () => this.onChannelClosed(channel));
    await declareConsumerQueue(channel, this.options.names, this.queue, this.options.retryDelayMs ?? 1_000);
    // Per-consumer prefetch: RabbitMQ stops delivering once this many messages are unacked.
    await channel.prefetch(this.options.prefetch ?? 10);
    await channel.consume(this.queue.queue, (delivery) => this.onDelivery(channel, delivery), { noAck: false });
    this.channel = channel;
    this.subscriptions += 1;
    this.logger.info({ subscriptions: this.subscriptions }, 'consumer subscribed');
    if (this.subscriptions > 1) this.record('reconnected', { queue: this.queue.queue });
  }

  private onDelivery(channel: ConfirmChannel, delivery: ConsumeMessage | null): void {
    if (delivery === null) {
      this.logger.warn({}, 'consumer cancelled by broker');
      return;
    }
    const work = this.process(channel, delivery).catch((error: unknown) => {
      // Only a lost channel gets here; RabbitMQ redelivers the unacked message after reconnection.
      this.logger.warn({ err: error, ...idsOf(delivery) }, 'delivery left unacked');
    });
    this.inProgress.add(work);
    void work.finally(() => this.inProgress.delete(work));
  }

  private async process(channel: ConfirmChannel, delivery: ConsumeMessage): Promise<void> {
    const screened = this.screen(delivery);
    if (!screened.ok) return this.deadLetter(channel, delivery, screened.why);
    const { message } = screened;
    const handler = this.options.handlers[message.type] as MessageHandler<MessageType>;
    const deliveryCount = deliveryCountOf(delivery);
    const logger = this.logger.child({ messageId: message.id, orderId: message.correlationId, type: message.type });
    try {
      await handler(message, { deliveryCount, redelivered: delivery.fields.redelivered, logger });
    } catch (error) {
      return this.retryOrDeadLetter(channel, delivery, deliveryCount, error);
    }
    channel.ack(delivery);
    this.metrics?.recordConsumed(this.queue.queue, message.type, message.occurredAt);
    this.record('ack', { ...delivered(delivery), deliveryCount });
  }

  /** Decides whether a handler should see the delivery; poison is turned away with the reason. */
  private screen(delivery: ConsumeMessage): { ok: true; message: Message } | { ok: false; why: DeadLetterReason } {
    const maxBytes = this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (delivery.content.length > maxBytes) {
      return { ok: false, why: { code: DeadLetterCode.OVERSIZED, reason: `Expected at most ${maxBytes} bytes, but got ${delivery.content.length}` } };
    }
    const decoded = decodeMessage(delivery.content);
    if (!decoded.ok) return { ok: false, why: { code: decoded.code, reason: decoded.reason } };
    if (!this.options.handlers[decoded.message.type]) {
      return { ok: false, why: { code: DeadLetterCode.NO_HANDLER, reason: `Expected a handler for ${decoded.message.type} on ${this.queue.queue}, but none is registered` } };
    }
    return decoded;
  }

  private async retryOrDeadLetter(channel: ConfirmChannel, delivery: ConsumeMessage, deliveryCount: number, error: unknown): Promise<void> {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (deliveryCount >= (this.options.maxDeliveries ?? 5)) {
      return this.deadLetter(channel, delivery, { code: DeadLetterCode.HANDLER_FAILED, reason: `Expected the handler to succeed within ${deliveryCount} deliveries, but the last failed with ${reason}` });
    }
    this.logger.warn({ err: error, ...idsOf(delivery), deliveryCount }, 'handler failed, retrying');
    await sendToRetry(channel, this.queue.retryQueue, delivery);
    channel.ack(delivery);
    this.metrics?.recordRetried(this.queue.queue, delivered(delivery).type);
    this.record('retry', { ...delivered(delivery), deliveryCount, reason });
  }

  private async deadLetter(channel: ConfirmChannel, delivery: ConsumeMessage, why: DeadLetterReason): Promise<void> {
    this.logger.error({ ...idsOf(delivery), code: why.code, reason: why.reason }, 'message dead-lettered');
    await sendToDeadLetter(channel, this.options.names.deadLetterExchange, this.queue.queue, delivery, why);
    channel.ack(delivery);
    this.metrics?.recordDeadLettered(this.queue.queue, delivered(delivery).type, why.code);
    this.record('dead-letter', { ...delivered(delivery), ...why });
  }

  private onChannelClosed(channel: ConfirmChannel): void {
    if (this.channel === channel) this.channel = undefined;
    this.logger.warn({ inProgress: this.inProgress.size }, 'consumer channel closed');
    // A channel-level error leaves the connection up: resubscribe on it. A lost connection resubscribes through the hook.
    setImmediate(() => {
      if (!this.stopped && this.options.connection.isConnected && !this.channel) void this.options.connection.rerunHook(this.hook);
    });
  }
}

function delivered(delivery: ConsumeMessage): Delivered {
  return { messageId: delivery.properties.messageId as string | undefined, type: delivery.properties.type as string | undefined };
}

/** The ids a log line about a delivery carries, from the AMQP properties: readable even when the body is poison. */
function idsOf(delivery: ConsumeMessage): { messageId: unknown; orderId: unknown } {
  return { messageId: delivery.properties.messageId, orderId: delivery.properties.correlationId };
}
