import { IllegalOperationError, type ConfirmChannel, type ChannelModel, type Message as AmqpMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { commandQueueName, declareCommandQueues, type TopologyNames } from './topology.js';
import { messageCatalog, validateMessage, type Message } from './contract/index.js';
import { DEFAULT_MAX_MESSAGE_BYTES, publishProperties } from './message-properties.js';
import { InvalidMessageError, MessagingErrorCode, PublishError } from './errors.js';
import { messagingMetricsFor, type MessagingMetrics } from './messaging-metrics.js';
import type { RabbitConnection } from './rabbit-connection.js';

export interface PublisherOptions {
  connection: RabbitConnection;
  logger: Logger;
  names: TopologyNames;
  maxMessageBytes?: number;
  /** Unconfirmed messages on the wire at once: confirms are pipelined, not awaited one by one. */
  maxInFlight?: number;
  /** Publishes allowed to wait for a connection; beyond this, publish fails fast with PUBLISH_BUFFER_FULL. */
  maxBuffered?: number;
  /** How long one publish may wait for its confirm, including time spent disconnected. */
  confirmTimeoutMs?: number;
  /** The process's metrics registry; publishes are counted on it by outcome. */
  metrics?: Registry;
}

interface PendingPublish {
  message: Message;
  body: Buffer;
  exchange: string;
  routingKey: string;
  sentOn: ConfirmChannel | undefined;
  settle: (error?: Error) => void;
}

/**
 * Publishes contract messages with publisher confirms. `publish` resolves only once RabbitMQ confirmed the
 * message; while disconnected, publishes wait (bounded) and are sent after reconnection. A message whose
 * channel died before its confirm is sent again, so delivery is at-least-once: consumers dedupe by id.
 */
export class Publisher {
  private channel: ConfirmChannel | undefined;
  private readonly waiting: PendingPublish[] = [];
  private readonly inFlight = new Set<PendingPublish>();
  private readonly returned = new Set<string>();
  private readonly logger: Logger;
  private readonly metrics: MessagingMetrics | undefined;
  private readonly limits: Required<Pick<PublisherOptions, 'maxMessageBytes' | 'maxInFlight' | 'maxBuffered' | 'confirmTimeoutMs'>>;
  private readonly hook = (model: ChannelModel) => this.openChannel(model);
  private backpressure = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  private constructor(private readonly options: PublisherOptions) {
    this.logger = options.logger.child({ component: 'publisher' });
    this.metrics = options.metrics && messagingMetricsFor(options.metrics);
    this.limits = {
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      maxInFlight: options.maxInFlight ?? 1_000,
      maxBuffered: options.maxBuffered ?? 10_000,
      confirmTimeoutMs: options.confirmTimeoutMs ?? 30_000,
    };
  }

  /** Declares exchanges and every command queue, then returns a ready publisher. */
  static async create(options: PublisherOptions): Promise<Publisher> {
    const publisher = new Publisher(options);
    await options.connection.addHook(publisher.hook);
    return publisher;
  }

  /**
   * Resolves once RabbitMQ confirmed the message. Throws InvalidMessageError (nothing sent) if it breaks the
   * contract or size limit; PublishError if the broker nacks it, a command reaches no queue, or it times out.
   */
  async publish(message: Message): Promise<void> {
    if (this.closed) throw new PublishError(MessagingErrorCode.CLOSED, 'Expected an open publisher, but it was closed', { messageId: message.id });
    const body = this.encode(message);
    if (this.waiting.length >= this.limits.maxBuffered) {
      throw new PublishError(MessagingErrorCode.PUBLISH_BUFFER_FULL, `Expected fewer than ${this.limits.maxBuffered} publishes waiting, but the buffer is full`, { messageId: message.id, type: message.type });
    }
    return new Promise<void>((resolve, reject) => {
      const pending = this.pending(message, body, resolve, reject);
      this.waiting.push(pending);
      this.pump();
    });
  }

  /** Publishes many messages pipelined; resolves when all are confirmed, rejects with the first failure. */
  async publishAll(messages: readonly Message[]): Promise<void> {
    await Promise.all(messages.map((message) => this.publish(message)));
  }

  /** Waits for everything already published to settle, then closes the channel. */
  async close(): Promise<void> {
    this.closed = true;
    this.options.connection.removeHook(this.hook);
    if (this.waiting.length > 0 || this.inFlight.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.channel?.close().catch(() => undefined);
    this.channel = undefined;
  }

  private encode(message: Message): Buffer {
    const result = validateMessage(message);
    if (!result.ok) {
      throw new InvalidMessageError(MessagingErrorCode.INVALID_MESSAGE, result.reason, { messageId: (message as { id?: unknown }).id, violation: result.code, issues: result.issues });
    }
    const body = Buffer.from(JSON.stringify(result.message));
    if (body.length > this.limits.maxMessageBytes) {
      throw new InvalidMessageError(MessagingErrorCode.MESSAGE_TOO_LARGE, `Expected at most ${this.limits.maxMessageBytes} bytes, but the message has ${body.length}`, { messageId: message.id, type: message.type, bytes: body.length });
    }
    return body;
  }

  private pending(message: Message, body: Buffer, resolve: () => void, reject: (error: Error) => void): PendingPublish {
    const definition = messageCatalog.get(message.type)!;
    const isCommand = definition.kind === 'command';
    const timer = setTimeout(() => pending.settle(new PublishError(MessagingErrorCode.PUBLISH_TIMEOUT, `Expected a confirm within ${this.limits.confirmTimeoutMs} ms, but none came`, { messageId: message.id, type: message.type, connected: this.channel !== undefined })), this.limits.confirmTimeoutMs);
    const pending: PendingPublish = {
      message,
      body,
      exchange: isCommand ? this.options.names.commandsExchange : this.options.names.eventsExchange,
      routingKey: message.type,
      sentOn: undefined,
      settle: (error) => {
        clearTimeout(timer);
        this.forget(pending);
        this.metrics?.recordPublished(pending.exchange, message.type, error);
        if (error) reject(error);
        else resolve();
      },
    };
    return pending;
  }

  private forget(pending: PendingPublish): void {
    this.inFlight.delete(pending);
    const index = this.waiting.indexOf(pending);
    if (index >= 0) this.waiting.splice(index, 1);
    if (this.waiting.length === 0 && this.inFlight.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private pump(): void {
    while (this.channel && !this.backpressure && this.inFlight.size < this.limits.maxInFlight && this.waiting.length > 0) {
      this.send(this.channel, this.waiting.shift()!);
    }
  }

  private send(channel: ConfirmChannel, pending: PendingPublish): void {
    const { message } = pending;
    const isCommand = messageCatalog.get(message.type)!.kind === 'command';
    pending.sentOn = channel;
    this.inFlight.add(pending);
    try {
      // mandatory: a command that reaches no queue comes back as a basic.return instead of vanishing.
      const accepted = channel.publish(pending.exchange, pending.routingKey, pending.body, { ...publishProperties(message), mandatory: isCommand }, (error) => this.onConfirm(channel, pending, error));
      if (!accepted) this.waitForDrain(channel);
    } catch (error) {
      if (!(error instanceof IllegalOperationError)) {
        pending.settle(new PublishError(MessagingErrorCode.PUBLISH_NACKED, `Expected amqplib to accept ${message.type}, but it threw`, { messageId: message.id }, { cause: error }));
        return;
      }
      // The channel is closing but has not said so yet: stop using it, or pump() would spin on it forever.
      if (this.channel === channel) this.channel = undefined;
      this.logger.debug({ err: error, messageId: message.id, orderId: message.correlationId }, 'publish on closed channel, requeued');
      this.requeue([pending]);
    }
  }

  private onConfirm(channel: ConfirmChannel, pending: PendingPublish, error: unknown): void {
    if (pending.sentOn !== channel || !this.inFlight.has(pending)) return;
    const { message } = pending;
    if (error && (error as Error).message === 'channel closed') {
      this.requeue([pending]);
    } else if (error) {
      pending.settle(new PublishError(MessagingErrorCode.PUBLISH_NACKED, `Expected RabbitMQ to confirm ${message.type}, but it nacked`, { messageId: message.id }, { cause: error }));
    } else if (this.returned.delete(message.id)) {
      pending.settle(new PublishError(MessagingErrorCode.PUBLISH_UNROUTABLE, `Expected a queue bound for ${message.type}, but none was`, { messageId: message.id, queue: commandQueueName(this.options.names, messageCatalog.get(message.type)!.service!) }));
    } else {
      pending.settle();
    }
    this.pump();
  }

  private requeue(pendings: PendingPublish[]): void {
    for (const pending of pendings) {
      this.inFlight.delete(pending);
      pending.sentOn = undefined;
    }
    this.waiting.unshift(...pendings.filter((pending) => !this.waiting.includes(pending)));
  }

  private waitForDrain(channel: ConfirmChannel): void {
    this.backpressure = true;
    channel.once('drain', () => {
      this.backpressure = false;
      this.pump();
    });
  }

  private async openChannel(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn({ err: error }, 'publisher channel error'));
    channel.on('return', (returned: AmqpMessage) => this.returned.add(String(returned.properties.messageId)));
    channel.once('close', () => this.onChannelClosed(channel));
    await declareCommandQueues(channel, this.options.names);
    this.channel = channel;
    this.backpressure = false;
    this.logger.info({ waiting: this.waiting.length }, 'publisher channel open');
    this.pump();
  }

  private onChannelClosed(channel: ConfirmChannel): void {
    if (this.channel === channel) this.channel = undefined;
    const unconfirmed = [...this.inFlight].filter((pending) => pending.sentOn === channel);
    this.requeue(unconfirmed);
    this.logger.warn({ unconfirmed: unconfirmed.length, waiting: this.waiting.length }, 'publisher channel closed');
    // A channel-level error (not a lost connection) leaves the connection up: reopen just this channel.
    setImmediate(() => {
      if (!this.closed && this.options.connection.isConnected && !this.channel) void this.options.connection.rerunHook(this.hook);
    });
  }
}
