import type { OrderItem } from '../../../infra/messaging/index.js';
import type { Shortfall } from '../domain/decide-reservation.js';
import { OrderOutcomeStatus, ReservationStatus } from '../domain/order-outcome.js';
import type { SqlExecutor } from '../../../lib/database/index.js';

export interface OrderOutcome {
  status: OrderOutcomeStatus;
  unavailable: Shortfall[];
}

/** Records (or moves) an order's outcome: $1 the order, $2 its status, $3 the shortfall as JSON or null (kept when null). */
const RECORD_OUTCOME = `WITH outcome AS (
  INSERT INTO order_outcomes (order_id, status, unavailable, updated_at) VALUES ($1::uuid, $2, $3::jsonb, now())
  ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, unavailable = COALESCE(EXCLUDED.unavailable, order_outcomes.unavailable), updated_at = now())`;

/**
 * Reservations of one order inside one transaction (the inbox's, which holds the order's lock): read what was decided,
 * move stock between `available` and the order's picked lines. Conservation holds per transaction:
 * every unit taken from `available` is written to a picked line, and back. Plain SQL (the inbox's
 * transaction runs on `plainSqlOf(db)`).
 */
export class ReservationRepository {
  constructor(private readonly tx: SqlExecutor) {}

  async findOutcome(orderId: string): Promise<OrderOutcome | undefined> {
    const [row] = await this.tx.$queryRawUnsafe<{ status: string; unavailable: unknown }[]>('SELECT status, unavailable FROM order_outcomes WHERE order_id = $1::uuid', orderId);
    if (!row) return undefined;
    return { status: row.status as OrderOutcomeStatus, unavailable: (row.unavailable ?? []) as unknown as Shortfall[] };
  }

  async recordOutcome(orderId: string, status: OrderOutcomeStatus, unavailable?: Shortfall[]): Promise<void> {
    await this.tx.$executeRawUnsafe(`${RECORD_OUTCOME} SELECT 1`, orderId, status, unavailable ? JSON.stringify(unavailable) : null);
  }

  /**
   * Locks the stock rows of `skus` in SKU order, so concurrent orders queue up instead of deadlocking
   * (the rows are locked as the sorted scan returns them), and resolves with what is available. SKUs
   * not stocked are absent.
   */
  async lockStock(skus: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.tx.$queryRawUnsafe<{ sku: string; available: number }[]>('SELECT sku, available FROM stock_items WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE', [...skus]);
    return new Map(rows.map((row) => [row.sku, row.available]));
  }

  /**
   * Takes the lines out of stock, records them as picked for the order and the order as reserved, in
   * one statement. The stock rows must be locked.
   */
  async reserve(orderId: string, lines: readonly OrderItem[]): Promise<void> {
    const skus = lines.map((line) => line.sku);
    const quantities = lines.map((line) => line.quantity);
    await this.tx.$executeRawUnsafe(
      `${RECORD_OUTCOME},
            line AS (SELECT * FROM unnest($4::text[], $5::int[]) AS l(sku, quantity)),
            taken AS (UPDATE stock_items s SET available = s.available - line.quantity, updated_at = now() FROM line WHERE s.sku = line.sku)
       INSERT INTO reservations (order_id, sku, quantity, status, updated_at) SELECT $1::uuid, sku, quantity, $6, now() FROM line`,
      orderId,
      OrderOutcomeStatus.RESERVED,
      null,
      skus,
      quantities,
      ReservationStatus.PICKED,
    );
  }

  async pickedLines(orderId: string): Promise<OrderItem[]> {
    return this.tx.$queryRawUnsafe<OrderItem[]>('SELECT sku, quantity FROM reservations WHERE order_id = $1::uuid AND status = $2 ORDER BY sku', orderId, ReservationStatus.PICKED);
  }

  /** Puts every picked line of the order back into stock; resolves with the lines returned. */
  async releasePicked(orderId: string): Promise<OrderItem[]> {
    // Stock rows are locked in SKU order first, as reserves lock them, so a release and a reserve never deadlock.
    await this.tx.$executeRawUnsafe(
      'SELECT 1 FROM stock_items WHERE sku IN (SELECT sku FROM reservations WHERE order_id = $1::uuid AND status = $2) ORDER BY sku FOR UPDATE',
      orderId,
      ReservationStatus.PICKED,
    );
    return this.tx.$queryRawUnsafe<OrderItem[]>(
      `WITH released AS (
         UPDATE reservations SET status = $3, updated_at = now() WHERE order_id = $1::uuid AND status = $2 RETURNING sku, quantity),
       restocked AS (
         UPDATE stock_items s SET available = s.available + released.quantity, updated_at = now() FROM released WHERE s.sku = released.sku)
       SELECT sku, quantity FROM released ORDER BY sku`,
      orderId,
      ReservationStatus.PICKED,
      ReservationStatus.RELEASED,
    );
  }
}
