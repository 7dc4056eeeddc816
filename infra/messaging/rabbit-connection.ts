import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { coalesceWritesPerTurn } from './coalesced-writes.js';
import { MessagingError, MessagingErrorCode } from './errors.js';

export interface ReconnectOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Attempts for the very first connection; afterwards reconnection never gives up. */
  initialAttempts: number;
}

export interface RabbitConnectionOptions {
  url: string;
  logger: Logger;
  /** Shown in RabbitMQ's connection list; tests use it to force-close exactly this connection. */
  connectionName?: string;
  reconnect?: Partial<ReconnectOptions>;
}

/** Runs on every (re)connection: declares topology, opens channels, resumes consumers. */
export type ConnectionHook = (model: ChannelModel) => Promise<void>;

const defaultReconnect: ReconnectOptions = { initialDelayMs: 100, maxDelayMs: 5_000, factor: 2, initialAttempts: 5 };

/**
 * One AMQP connection that comes back by itself. When RabbitMQ restarts or the socket drops, it reconnects
 * with exponential backoff and re-runs every registered hook, so publishers and consumers resume.
 * Emits 'connected' (model, {reconnected}) and 'disconnected' (error).
 */
export class RabbitConnection extends EventEmitter {
  private model: ChannelModel | undefined;
  private readonly hooks: ConnectionHook[] = [];
  private readonly reconnectOptions: ReconnectOptions;
  private readonly logger: Logger;
  private readonly closeSignal = new AbortController();
  private hasConnected = false;

  private constructor(private readonly options: RabbitConnectionOptions) {
    super();
    this.reconnectOptions = { ...defaultReconnect, ...options.reconnect };
    this.logger = options.logger.child({ component: 'rabbit-connection', connectionName: options.connectionName });
  }

  /** Connects, retrying `initialAttempts` times. Throws a MessagingError naming the URL host if RabbitMQ never answers. */
  static async connect(options: RabbitConnectionOptions): Promise<RabbitConnection> {
    const connection = new RabbitConnection(options);
    await connection.establish(connection.reconnectOptions.initialAttempts);
    return connection;
  }

  get isConnected(): boolean {
    return this.model !== undefined;
  }

  get isClosed(): boolean {
    return this.closeSignal.signal.aborted;
  }

  /** Registers a hook and runs it now if connected; rejects if that first run fails. */
  async addHook(hook: ConnectionHook): Promise<void> {
    this.hooks.push(hook);
    if (this.model) await hook(this.model);
  }

  removeHook(hook: ConnectionHook): void {
    const index = this.hooks.indexOf(hook);
    if (index >= 0) this.hooks.splice(index, 1);
  }

  /** Re-runs one hook after its channel died on a live connection; a failure forces a full reconnect. */
  async rerunHook(hook: ConnectionHook): Promise<void> {
    const model = this.model;
    if (!model || this.isClosed) return;
    try {
      await hook(model);
    } catch (error) {
      this.logger.error({ err: error }, 'connection hook failed, reconnecting');
      await model.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.closeSignal.abort();
    const model = this.model;
    this.model = undefined;
    await model?.close().catch((error: unknown) => this.logger.warn({ err: error }, 'connection close failed'));
    this.logger.info({}, 'connection closed');
  }

  private async establish(maxAttempts: number): Promise<void> {
    for (let attempt = 1; !this.isClosed; attempt++) {
      try {
        const model = await this.open();
        // close() may have been called while the socket was opening.
        if (this.isClosed) return void (await model.close().catch(() => undefined));
        await this.attach(model);
        return;
      } catch (error) {
        if (this.isClosed) return;
        if (attempt >= maxAttempts) {
          throw new MessagingError(MessagingErrorCode.CLOSED, `Expected RabbitMQ to answer at ${new URL(this.options.url).host}, but ${attempt} attempts failed`, { attempt }, { cause: error });
        }
        const waitMs = this.backoff(attempt);
        this.logger.warn({ err: error, attempt, waitMs }, 'connection attempt failed, retrying');
        await delay(waitMs, undefined, { signal: this.closeSignal.signal }).catch(() => undefined);
      }
    }
  }

  private async open(): Promise<ChannelModel> {
    // Without TCP_NODELAY (amqplib leaves Nagle on), a publish's frames wait for the broker's delayed
    // ACK: about 40 ms per message, on every hop of the saga.
    const model = await amqp.connect(this.options.url, { clientProperties: { connection_name: this.options.connectionName ?? 'orderflow' }, noDelay: true });
    coalesceWritesPerTurn((model.connection as unknown as { stream: Socket }).stream);
    return model;
  }

  private async attach(model: ChannelModel): Promise<void> {
    model.on('error', (error: Error) => this.logger.warn({ err: error }, 'connection error'));
    model.once('close', (error?: Error) => this.onClose(model, error));
    try {
      for (const hook of this.hooks) await hook(model);
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
    this.model = model;
    const reconnected = this.hasConnected;
    this.hasConnected = true;
    this.logger.info({ reconnected }, 'connection established');
    this.emit('connected', model, { reconnected });
  }

  private onClose(model: ChannelModel, error?: Error): void {
    if (this.model !== model) return;
    this.model = undefined;
    this.logger.warn({ err: error }, 'connection lost');
    this.emit('disconnected', error);
    if (!this.isClosed) void this.establish(Infinity);
  }

  private backoff(attempt: number): number {
    const { initialDelayMs, maxDelayMs, factor } = this.reconnectOptions;
    const base = Math.min(maxDelayMs, initialDelayMs * factor ** (attempt - 1));
    // Jitter spreads the reconnect storm when every service loses RabbitMQ at the same moment.
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }
}
