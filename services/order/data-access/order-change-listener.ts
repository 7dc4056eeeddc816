import pg from 'pg';
import type { Logger } from 'pino';
import type { ConnectionOptions } from '../../../lib/database/index.js';
import { ORDER_CHANGED_CHANNEL } from './order-change-notifications.js';

export type OrderChangeHandler = () => void;

export interface OrderChangeListener {
  /** Calls `onChange` after each committed change of the order, and after a reconnect (changes may have been missed). Returns the unsubscribe function. */
  subscribe(orderId: string, onChange: OrderChangeHandler): () => void;
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface OrderChangeListenerOptions {
  connection: ConnectionOptions;
  logger: Logger;
  /** The first reconnect delay; it doubles up to 30 s. */
  reconnectDelayMs?: number;
}

const MAX_RECONNECT_DELAY_MS = 30_000;

/**
 * One LISTEN connection per Order service instance, fanning notifications out to the subscribers of
 * each order. A lost connection is re-opened with back-off; every subscriber is then told to re-read,
 * since NOTIFYs sent while it was down are gone.
 */
export function startOrderChangeListener({ connection, logger, reconnectDelayMs = 500 }: OrderChangeListenerOptions): OrderChangeListener {
  const subscribers = new Map<string, Set<OrderChangeHandler>>();
  let client: pg.Client | undefined;
  let running = true;
  let retryTimer: NodeJS.Timeout | undefined;
  let delay = reconnectDelayMs;

  const notify = (orderId: string) => subscribers.get(orderId)?.forEach((handler) => handler());
  const notifyAll = () => [...subscribers.keys()].forEach(notify);

  const connect = async (): Promise<void> => {
    const next = new pg.Client(connection);
    next.on('notification', (message) => message.channel === ORDER_CHANGED_CHANNEL && message.payload && notify(message.payload));
    next.on('error', (error) => logger.warn({ err: error }, 'Order change LISTEN connection failed'));
    next.on('end', () => {
      if (client !== next) return;
      client = undefined;
      if (running) scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${ORDER_CHANGED_CHANNEL}`);
    if (!running) return void (await next.end().catch(() => undefined));
    client = next;
    delay = reconnectDelayMs;
  };

  const scheduleReconnect = () => {
    logger.warn({ retryInMs: delay }, 'Order change LISTEN connection lost; reconnecting');
    retryTimer = setTimeout(() => {
      connect().then(
        () => {
          logger.info('Order change LISTEN connection restored');
          notifyAll();
        },
        (error: unknown) => {
          logger.warn({ err: error }, 'Order change LISTEN reconnect failed');
          delay = Math.min(MAX_RECONNECT_DELAY_MS, delay * 2);
          if (running) scheduleReconnect();
        },
      );
    }, delay);
  };

  const ready = connect();
  return {
    ready,
    subscribe(orderId, onChange) {
      const handlers = subscribers.get(orderId) ?? new Set();
      handlers.add(onChange);
      subscribers.set(orderId, handlers);
      return () => {
        handlers.delete(onChange);
        if (handlers.size === 0) subscribers.delete(orderId);
      };
    },
    async close() {
      running = false;
      clearTimeout(retryTimer);
      subscribers.clear();
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
