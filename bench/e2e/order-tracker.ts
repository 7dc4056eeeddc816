/**
 * Reads the Order service's projection straight from its database, the way an analyst would: counts
 * by status while the benchmark runs (one small query a second, no load on the API), and at the end
 * the moment each order was projected as completed.
 */
import pg from 'pg';
import { connectionFor, type DatabaseConfig } from '../../lib/database/index.js';

export class OrderTracker {
  private constructor(private readonly client: pg.Client) {}

  static async connect(database: DatabaseConfig): Promise<OrderTracker> {
    const client = new pg.Client(connectionFor('order', database));
    // A Ctrl-C tears the system down, dropping this database under the connection: not a crash.
    client.on('error', () => {});
    await client.connect();
    return new OrderTracker(client);
  }

  async countByStatus(): Promise<Record<string, number>> {
    const { rows } = await this.client.query<{ status: string; count: string }>('SELECT status, count(*) AS count FROM orders GROUP BY status');
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  /** Orders that reached an end (COMPLETED or CANCELLED), with the counts by status to show when they stall. */
  async settled(): Promise<{ done: number; statuses: Record<string, number> }> {
    const statuses = await this.countByStatus();
    return { done: (statuses.COMPLETED ?? 0) + (statuses.CANCELLED ?? 0), statuses };
  }

  /** Orders that have a timeline entry of `type`, e.g. `customer.notified`. */
  async countWithTimelineEntry(type: string): Promise<number> {
    const { rows } = await this.client.query<{ count: string }>('SELECT count(DISTINCT order_id) AS count FROM order_timeline_entries WHERE type = $1', [type]);
    return Number(rows[0]?.count ?? 0);
  }

  /**
   * When each order's `order.completed` event was written to the projection: the timeline entry's
   * `recorded_at`, set in the same transaction that moved the order to COMPLETED.
   */
  async completionTimes(): Promise<Map<string, number>> {
    const { rows } = await this.client.query<{ order_id: string; recorded_at: Date }>(
      "SELECT order_id, min(recorded_at) AS recorded_at FROM order_timeline_entries WHERE type = 'order.completed' GROUP BY order_id",
    );
    return new Map(rows.map((row) => [row.order_id, row.recorded_at.getTime()]));
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
