import type { SqlExecutor } from '../../../lib/database/index.js';

/** Orders whose refund was asked for, kept so a charge that arrives after its refund charges nothing. */
export class RefundRequestRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Records the first request per order; later ones change nothing. */
  async record(orderId: string, reason: string): Promise<void> {
    await this.db.$executeRawUnsafe('INSERT INTO refund_requests (order_id, reason) VALUES ($1::uuid, $2) ON CONFLICT (order_id) DO NOTHING', orderId, reason);
  }
}
