import type { Response } from 'express';
import type { Logger } from 'pino';
import type { OrderChangeListener } from '../../data-access/order-change-listener.js';
import type { OrderView } from '../../data-access/order-repository.js';

/** Server-sent event names of `GET /orders/:id/events`. */
export const OrderStreamEvent = {
  /** First, once: the whole order, its status and its timeline so far. */
  SNAPSHOT: 'snapshot',
  /** A timeline entry not sent before. */
  TIMELINE: 'timeline',
  /** The status (or cancellation reason) changed. */
  STATUS: 'status',
} as const;

export interface OrderEventStreamOptions {
  orderId: string;
  /** Re-reads the order; undefined once it is gone. */
  read(): Promise<OrderView | undefined>;
  changes: OrderChangeListener;
  response: Response;
  logger: Logger;
  heartbeatMs: number;
  onClose(): void;
}

/** What a stream answers with, and a HEAD request to it as well. */
export const EVENT_STREAM_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' } as const;

/**
 * One open event stream. It subscribes before the first read, so a change committed while the
 * snapshot is read is not lost, and then re-reads the order on every notification, sending only
 * timeline entries it has not sent (by id) and the status when it moved. Reads never overlap: a
 * notification during a read marks the order dirty and is handled by one more read.
 */
export class OrderEventStream {
  private readonly sentEntryIds = new Set<string>();
  private lastStatus: { status: string; cancellationReason: string | null } | undefined;
  private dirty = false;
  private reading = false;
  private started = false;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: OrderEventStreamOptions) {
    this.unsubscribe = options.changes.subscribe(options.orderId, () => this.markDirty());
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Sends the snapshot (headers first), then follows changes until closed. */
  async start(first: OrderView): Promise<void> {
    const { response } = this.options;
    response.status(200).set(EVENT_STREAM_HEADERS);
    response.flushHeaders();
    this.started = true;
    this.write('retry: 3000\n\n');
    this.send(OrderStreamEvent.SNAPSHOT, first);
    first.timeline.forEach((entry) => this.sentEntryIds.add(entry.id));
    this.lastStatus = { status: first.status, cancellationReason: first.cancellationReason };
    if (this.dirty) await this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.unsubscribe();
    // Before start the route still answers (404), so only a started stream is ended here.
    if (this.started) this.options.response.end();
    this.options.onClose();
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.lastStatus && !this.reading) void this.pump();
  }

  private async pump(): Promise<void> {
    this.reading = true;
    try {
      while (this.dirty && !this.closed) {
        this.dirty = false;
        const order = await this.options.read();
        if (!order) return this.close();
        this.sendChanges(order);
      }
    } catch (error) {
      this.options.logger.warn({ err: error, orderId: this.options.orderId }, 'Order event stream read failed; closing it');
      this.close();
    } finally {
      this.reading = false;
    }
  }

  private sendChanges(order: OrderView): void {
    for (const entry of order.timeline) {
      if (this.sentEntryIds.has(entry.id)) continue;
      this.sentEntryIds.add(entry.id);
      this.send(OrderStreamEvent.TIMELINE, entry);
    }
    const status = { status: order.status, cancellationReason: order.cancellationReason };
    if (status.status !== this.lastStatus?.status || status.cancellationReason !== this.lastStatus.cancellationReason) {
      this.lastStatus = status;
      this.send(OrderStreamEvent.STATUS, status);
    }
  }

  private send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(chunk: string): void {
    if (!this.closed) this.options.response.write(chunk);
  }
}
