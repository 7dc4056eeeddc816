import type { Prisma } from './generated/index.js';
import type { PaymentDatabase } from './payment-database.js';

/** Orders whose refund was asked for, kept so a charge that arrives after its refund charges nothing. */
export class RefundRequestRepository {
  constructor(private readonly db: PaymentDatabase | Prisma.TransactionClient) {}

  /** Records the first request per order; later ones change nothing. */
  async record(orderId: string, reason: string): Promise<void> {
    await this.db.refundRequest.upsert({ where: { orderId }, create: { orderId, reason }, update: {} });
  }

  async isRequested(orderId: string): Promise<boolean> {
    // Asked on every charge: plain SQL, cheaper than a model query.
    const rows = await this.db.$queryRawUnsafe<unknown[]>('SELECT 1 FROM refund_requests WHERE order_id = $1::uuid', orderId);
    return rows.length > 0;
  }
}
