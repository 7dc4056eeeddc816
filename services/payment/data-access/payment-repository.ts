import type { Money } from '../../../infra/messaging/index.js';
import { PaymentStatus, PaymentType } from '../domain/payment-status.js';
import type { SqlExecutor } from '../../../lib/database/index.js';
import type { Prisma } from './generated/index.js';

/** A charge or refund as the domain and the API see it. */
export interface PaymentRecord {
  id: string;
  orderId: string;
  type: PaymentType;
  amount: Money;
  status: PaymentStatus;
  failureReason: string | null;
  cardToken: string;
  refundedChargeId: string | null;
}

export interface NewPayment {
  orderId: string;
  type: PaymentType;
  amount: Money;
  status: PaymentStatus;
  cardToken: string;
  failureReason?: string;
  refundedChargeId?: string;
}

export type PaymentRow = Pick<Prisma.PaymentGetPayload<object>, 'id' | 'orderId' | 'type' | 'amount' | 'currency' | 'status' | 'failureReason' | 'cardToken' | 'refundedChargeId'>;

// The charge and refund commands read and write payments on every order, so those queries are plain
// SQL: Prisma's model queries cost about three times the CPU of its raw ones.
export const PAYMENT_COLUMNS = `id::text, order_id::text AS "orderId", type, amount, currency, status, failure_reason AS "failureReason",
  card_token AS "cardToken", refunded_charge_id::text AS "refundedChargeId"`;

export function toPaymentRecord(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    orderId: row.orderId,
    type: row.type as PaymentType,
    amount: { amount: row.amount, currency: row.currency },
    status: row.status as PaymentStatus,
    failureReason: row.failureReason,
    cardToken: row.cardToken,
    refundedChargeId: row.refundedChargeId,
  };
}

/** Charges and refunds. Works on the client or inside a transaction. */
export class PaymentRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Oldest first. */
  async listByOrder(orderId: string): Promise<PaymentRecord[]> {
    const rows = await this.db.$queryRawUnsafe<PaymentRow[]>(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = $1::uuid ORDER BY created_at, id`, orderId);
    return rows.map(toPaymentRecord);
  }

  async create(payment: NewPayment): Promise<PaymentRecord> {
    const [row] = await this.db.$queryRawUnsafe<[PaymentRow]>(
      `INSERT INTO payments (order_id, type, amount, currency, status, card_token, failure_reason, refunded_charge_id, updated_at)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::uuid, now()) RETURNING ${PAYMENT_COLUMNS}`,
      payment.orderId,
      payment.type,
      payment.amount.amount,
      payment.amount.currency,
      payment.status,
      payment.cardToken,
      payment.failureReason ?? null,
      payment.refundedChargeId ?? null,
    );
    return toPaymentRecord(row);
  }

  /**
   * Settles the charges that found this card expired and still wait for it (`awaiting-card-update` →
   * `card-expired`) and resolves with them, oldest first. One conditional UPDATE, so a charge closed
   * meanwhile (`cancelChargesAwaitingCardUpdate`) is neither settled nor returned.
   */
  async settleChargesAwaitingCardUpdate(cardToken: string): Promise<PaymentRecord[]> {
    return this.moveChargesAwaitingCardUpdate('card_token = $1', cardToken, PaymentStatus.CARD_EXPIRED);
  }

  /**
   * Closes the order's charges that still wait for a card update (`awaiting-card-update` → `cancelled`)
   * and resolves with them, oldest first. A charge a card update settled meanwhile is left as it is.
   */
  async cancelChargesAwaitingCardUpdate(orderId: string): Promise<PaymentRecord[]> {
    return this.moveChargesAwaitingCardUpdate('order_id = $1::uuid', orderId, PaymentStatus.CANCELLED);
  }

  // READ COMMITTED re-checks the WHERE clause on a row another transaction changed while this one
  // waited for its lock, so of a card update and a refund racing for one charge exactly one moves it.
  private async moveChargesAwaitingCardUpdate(scope: 'card_token = $1' | 'order_id = $1::uuid', value: string, to: PaymentStatus): Promise<PaymentRecord[]> {
    const rows = await this.db.$queryRawUnsafe<PaymentRow[]>(
      `WITH moved AS (
         UPDATE payments SET status = $4, updated_at = now() WHERE ${scope} AND type = $2 AND status = $3 RETURNING *
       ) SELECT ${PAYMENT_COLUMNS} FROM moved ORDER BY created_at, id`,
      value,
      PaymentType.CHARGE,
      PaymentStatus.AWAITING_CARD_UPDATE,
      to,
    );
    return rows.map(toPaymentRecord);
  }
}
