import type { Money } from '../../../infra/messaging/index.js';
import { PaymentStatus, PaymentType } from '../domain/payment-status.js';
import type { Prisma } from './generated/index.js';
import type { PaymentDatabase } from './payment-database.js';

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

type PaymentRow = Prisma.PaymentGetPayload<object>;

function toRecord(row: PaymentRow): PaymentRecord {
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
  constructor(private readonly db: PaymentDatabase | Prisma.TransactionClient) {}

  /**
   * Serialises the handling of one order's commands until the transaction ends, so a charge and a
   * refund (or two refunds) for the same order never interleave. Only valid inside a transaction.
   */
  async lockOrder(orderId: string): Promise<void> {
    await this.db.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', orderId);
  }

  /** Oldest first. */
  async listByOrder(orderId: string): Promise<PaymentRecord[]> {
    const rows = await this.db.payment.findMany({ where: { orderId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toRecord);
  }

  async create(payment: NewPayment): Promise<PaymentRecord> {
    const row = await this.db.payment.create({
      data: {
        orderId: payment.orderId,
        type: payment.type,
        amount: payment.amount.amount,
        currency: payment.amount.currency,
        status: payment.status,
        cardToken: payment.cardToken,
        failureReason: payment.failureReason ?? null,
        refundedChargeId: payment.refundedChargeId ?? null,
      },
    });
    return toRecord(row);
  }

  /** Charges that found this card expired and still wait for the customer to update it. */
  async findAwaitingCardUpdate(cardToken: string): Promise<PaymentRecord[]> {
    const rows = await this.db.payment.findMany({
      where: { cardToken, type: PaymentType.CHARGE, status: PaymentStatus.AWAITING_CARD_UPDATE },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toRecord);
  }

  async setStatus(ids: readonly string[], status: PaymentStatus): Promise<void> {
    if (ids.length > 0) await this.db.payment.updateMany({ where: { id: { in: [...ids] } }, data: { status } });
  }
}
