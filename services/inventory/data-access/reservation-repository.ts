import type { OrderItem } from '../../../infra/messaging/index.js';
import type { Shortfall } from '../domain/decide-reservation.js';
import { OrderOutcomeStatus, ReservationStatus } from '../domain/order-outcome.js';
import type { Prisma } from './generated/index.js';

export interface OrderOutcome {
  status: OrderOutcomeStatus;
  unavailable: Shortfall[];
}

/**
 * Reservations of one order inside one transaction (the inbox's): lock the order, read what was decided,
 * move stock between `available` and the order's picked lines. Conservation holds per transaction:
 * every unit taken from `available` is written to a picked line, and back.
 */
export class ReservationRepository {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  /** Serialises commands for the same order until the transaction ends (two re-sent reserves, a reserve racing a release). */
  async lockOrder(orderId: string): Promise<void> {
    await this.tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', orderId);
  }

  async findOutcome(orderId: string): Promise<OrderOutcome | undefined> {
    const row = await this.tx.orderOutcome.findUnique({ where: { orderId } });
    if (!row) return undefined;
    return { status: row.status as OrderOutcomeStatus, unavailable: (row.unavailable ?? []) as unknown as Shortfall[] };
  }

  async recordOutcome(orderId: string, status: OrderOutcomeStatus, unavailable?: Shortfall[]): Promise<void> {
    const data = { status, ...(unavailable ? { unavailable: unavailable as unknown as Prisma.InputJsonValue } : {}) };
    await this.tx.orderOutcome.upsert({ where: { orderId }, create: { orderId, ...data }, update: data });
  }

  /**
   * Locks the stock rows of `skus` in the given (sorted) order, so concurrent orders queue up instead of
   * deadlocking, and resolves with what is available. SKUs not stocked are absent.
   */
  async lockStock(skus: readonly string[]): Promise<Map<string, number>> {
    const available = new Map<string, number>();
    for (const sku of skus) {
      const rows = await this.tx.$queryRawUnsafe<{ available: number }[]>('SELECT available FROM stock_items WHERE sku = $1 FOR UPDATE', sku);
      if (rows[0]) available.set(sku, rows[0].available);
    }
    return available;
  }

  /** Takes the lines out of stock and records them as picked for the order. The stock rows must be locked. */
  async pick(orderId: string, lines: readonly OrderItem[]): Promise<void> {
    for (const line of lines) {
      await this.tx.stockItem.update({ where: { sku: line.sku }, data: { available: { decrement: line.quantity } } });
    }
    await this.tx.reservation.createMany({ data: lines.map((line) => ({ orderId, sku: line.sku, quantity: line.quantity, status: ReservationStatus.PICKED })) });
  }

  async pickedLines(orderId: string): Promise<OrderItem[]> {
    const rows = await this.tx.reservation.findMany({ where: { orderId, status: ReservationStatus.PICKED }, orderBy: { sku: 'asc' } });
    return rows.map((row) => ({ sku: row.sku, quantity: row.quantity }));
  }

  /** Puts every picked line of the order back into stock; resolves with the lines returned. */
  async releasePicked(orderId: string): Promise<OrderItem[]> {
    const lines = await this.pickedLines(orderId);
    for (const line of lines) {
      await this.tx.stockItem.update({ where: { sku: line.sku }, data: { available: { increment: line.quantity } } });
    }
    await this.tx.reservation.updateMany({ where: { orderId, status: ReservationStatus.PICKED }, data: { status: ReservationStatus.RELEASED } });
    return lines;
  }
}
