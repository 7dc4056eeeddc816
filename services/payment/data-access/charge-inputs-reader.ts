import type { SqlExecutor } from '../../../lib/database/index.js';
import { CARD_COLUMNS, toStoredCard, type CardRow, type StoredCard } from './card-repository.js';
import { PAYMENT_COLUMNS, toPaymentRecord, type PaymentRecord, type PaymentRow } from './payment-repository.js';

/** What a charge decides on. */
export interface ChargeInputs {
  /** The order's charges and refunds, oldest first. */
  history: PaymentRecord[];
  /** Whether the order's refund was asked for before this charge. */
  refundRequested: boolean;
  /** The card the charge names, unlocked; undefined when no card has the token. */
  card: StoredCard | undefined;
}

// One statement instead of three on every charge: each round trip costs the service and PostgreSQL
// about as much CPU as the work it asks for.
const READ_CHARGE_INPUTS = `
  SELECT (SELECT coalesce(json_agg(p ORDER BY p."createdAt", p.id), '[]')
            FROM (SELECT ${PAYMENT_COLUMNS}, created_at AS "createdAt" FROM payments WHERE order_id = $1::uuid) AS p) AS history,
         EXISTS (SELECT 1 FROM refund_requests WHERE order_id = $1::uuid) AS "refundRequested",
         (SELECT row_to_json(c) FROM (SELECT ${CARD_COLUMNS} FROM cards WHERE token = $2) AS c) AS card`;

/** Reads a charge's inputs: the order's payments as `PaymentRepository.listByOrder` and the card as `CardRepository.find` read them. */
export class ChargeInputsReader {
  constructor(private readonly db: SqlExecutor) {}

  async read(orderId: string, cardToken: string): Promise<ChargeInputs> {
    const [row] = await this.db.$queryRawUnsafe<[{ history: PaymentRow[]; refundRequested: boolean; card: CardRow | null }]>(READ_CHARGE_INPUTS, orderId, cardToken);
    return { history: row.history.map(toPaymentRecord), refundRequested: row.refundRequested, card: row.card ? toStoredCard(row.card) : undefined };
  }
}
