/**
 * An order that stops moving must never be silent. The watchdog looks, every interval, for orders
 * not in a final status whose projection (status or timeline) has not changed for longer than the
 * threshold; it exposes them as the gauge `orderflow_stuck_orders` and a list, and logs a warning
 * once per stuck order. An order waiting for a card update is not stuck while the checkout's
 * two-week wait for the new card runs (checkout.bpmn, `card-update-overdue`, P14D).
 */
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { OrderDatabase } from '../data-access/order-database.js';
import { OrderStatus, terminalStatuses } from './order-status.js';

/** The checkout's wait for a new card (checkout.bpmn, timer `card-update-overdue`). */
export const CARD_UPDATE_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

export interface StuckOrderSettings {
  /** How often the watchdog looks. */
  intervalMs: number;
  /** How long an order may stand still before it counts as stuck. */
  thresholdMs: number;
}

export const defaultStuckOrderSettings: StuckOrderSettings = { intervalMs: 60_000, thresholdMs: 15 * 60_000 };

/** Most stuck orders listed at once; the gauge still counts them all. */
const MAX_LISTED = 1_000;

export interface StuckOrder {
  orderId: string;
  status: string;
  /** When the order's projection last changed. */
  since: Date;
  /** Null when the checkout process never started. */
  processInstanceKey: string | null;
}

export interface StuckOrders {
  items: StuckOrder[];
  /** All stuck orders, also those beyond the listed ones. */
  total: number;
  checkedAt: Date;
}

export interface StuckOrderWatchdogOptions extends StuckOrderSettings {
  db: OrderDatabase;
  logger: Logger;
  /** Where `orderflow_stuck_orders` is registered. */
  metrics: Registry;
  /** The service clock; tests move it instead of waiting. */
  clock?: () => Date;
}

export class StuckOrderWatchdog {
  private readonly gauge: Gauge;
  private readonly logger: Logger;
  private readonly clock: () => Date;
  /** Order id → the `since` it was reported with: warn again only if it moved and got stuck anew. */
  private readonly reported = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<StuckOrders> | undefined;

  constructor(private readonly options: StuckOrderWatchdogOptions) {
    this.gauge = new Gauge({ name: 'orderflow_stuck_orders', help: 'Orders not in a final status whose projection has not changed for longer than the threshold', registers: [options.metrics] });
    this.logger = options.logger.child({ component: 'stuck-order-watchdog' });
    this.clock = options.clock ?? (() => new Date());
  }

  get thresholdMs(): number {
    return this.options.thresholdMs;
  }

  /** Checks now and then every interval, until {@link stop}. */
  start(): void {
    const tick = () => {
      this.check()
        .catch((error: unknown) => this.logger.error({ err: error }, 'stuck order check failed; retrying at the next interval'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass: finds the stuck orders, sets the gauge, warns about the new ones. Concurrent callers share the pass. */
  check(): Promise<StuckOrders> {
    this.running ??= this.findAndReport().finally(() => (this.running = undefined));
    return this.running;
  }

  private async findAndReport(): Promise<StuckOrders> {
    const checkedAt = this.clock();
    const { items, total } = await findStuckOrders(this.options.db, {
      activeBefore: new Date(checkedAt.getTime() - this.options.thresholdMs),
      awaitingCardBefore: new Date(checkedAt.getTime() - CARD_UPDATE_WINDOW_MS - this.options.thresholdMs),
    });
    this.gauge.set(total);
    const stillStuck = new Set<string>();
    for (const order of items) {
      stillStuck.add(order.orderId);
      if (this.reported.get(order.orderId) === order.since.getTime()) continue;
      this.reported.set(order.orderId, order.since.getTime());
      this.logger.warn({ orderId: order.orderId, processInstanceKey: order.processInstanceKey, status: order.status, since: order.since.toISOString(), thresholdMs: this.options.thresholdMs }, 'Order stuck');
    }
    for (const orderId of this.reported.keys()) if (!stillStuck.has(orderId)) this.reported.delete(orderId);
    return { items, total, checkedAt };
  }
}

interface Cutoffs {
  activeBefore: Date;
  awaitingCardBefore: Date;
}

type StuckOrderRow = StuckOrder & { total: bigint | number };

/**
 * The stuck orders, oldest first. The projection last changed at the later of the order row's
 * update and its newest timeline entry (an event that only adds to the timeline still moves it).
 */
async function findStuckOrders(db: OrderDatabase, cutoffs: Cutoffs): Promise<{ items: StuckOrder[]; total: number }> {
  const rows = await db.$queryRawUnsafe<StuckOrderRow[]>(
    `SELECT o.id::text AS "orderId", o.status, o.process_instance_key AS "processInstanceKey",
            GREATEST(o.updated_at, COALESCE(MAX(t.recorded_at), o.updated_at)) AS since,
            COUNT(*) OVER () AS total
       FROM orders o LEFT JOIN order_timeline_entries t ON t.order_id = o.id
      WHERE o.status <> ALL($1::text[])
      GROUP BY o.id
     HAVING GREATEST(o.updated_at, COALESCE(MAX(t.recorded_at), o.updated_at)) < CASE WHEN o.status = $2 THEN $3::timestamptz ELSE $4::timestamptz END
      ORDER BY since
      LIMIT ${MAX_LISTED}`,
    terminalStatuses,
    OrderStatus.AWAITING_CARD_UPDATE,
    cutoffs.awaitingCardBefore,
    cutoffs.activeBefore,
  );
  return {
    items: rows.map(({ total: _total, ...order }) => order),
    total: Number(rows[0]?.total ?? 0),
  };
}
