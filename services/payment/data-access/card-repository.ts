import { randomInt } from 'node:crypto';
import type { CardBehaviour, CardExpiry, TokenizedCardData } from '../domain/card.js';
import type { SqlExecutor } from '../../../lib/database/index.js';

/** A stored card as the domain sees it: a token and what may be kept of the card. */
export interface StoredCard {
  token: string;
  last4: string;
  expiry: CardExpiry;
  brand: string;
  behaviour: CardBehaviour;
  /** The customer who tokenized it; null for a card from before cards had owners. */
  customerId: string | null;
}

export type CardRow = { token: string; last4: string; expiryMonth: number; expiryYear: number; brand: string; behaviour: string; customerId: string | null };

export const CARD_COLUMNS = `token, last4, expiry_month AS "expiryMonth", expiry_year AS "expiryYear", brand, behaviour, customer_id AS "customerId"`;

export function toStoredCard(row: CardRow): StoredCard {
  return {
    token: row.token,
    last4: row.last4,
    expiry: { month: row.expiryMonth, year: row.expiryYear },
    brand: row.brand,
    behaviour: row.behaviour as CardBehaviour,
    customerId: row.customerId,
  };
}

const tokenAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 24 base-62 characters (~143 bits). Not hex: long digit runs would look like card numbers to data scanners. */
function newCardToken(): string {
  return `tok_${Array.from({ length: 24 }, () => tokenAlphabet[randomInt(tokenAlphabet.length)]).join('')}`;
}

/** Cards by token. Works on the client or inside a transaction. */
export class CardRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Stores the customer's card under a fresh random token and resolves with it. */
  async create(card: TokenizedCardData, customerId: string): Promise<StoredCard> {
    const [row] = await this.db.$queryRawUnsafe<[CardRow]>(
      `INSERT INTO cards (token, customer_id, last4, expiry_month, expiry_year, brand, behaviour, fingerprint, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) RETURNING ${CARD_COLUMNS}`,
      newCardToken(),
      customerId,
      card.last4,
      card.expiry.month,
      card.expiry.year,
      card.brand,
      card.behaviour,
      card.fingerprint,
    );
    return toStoredCard(row);
  }

  /**
   * `lock: 'share'` reads the card's latest committed version and keeps its updates out until the
   * transaction ends: one still running is waited for, one that comes later waits.
   */
  async find(token: string, options: { lock?: 'share' } = {}): Promise<StoredCard | undefined> {
    // Read on every charge: plain SQL, cheaper than a model query.
    const [row] = await this.db.$queryRawUnsafe<CardRow[]>(`SELECT ${CARD_COLUMNS} FROM cards WHERE token = $1${options.lock ? ' FOR SHARE' : ''}`, token);
    return row ? toStoredCard(row) : undefined;
  }

  /** Resolves with the updated card, or undefined when the customer has no card with the token. Fields left out keep their value. */
  async update(token: string, customerId: string, changes: Partial<TokenizedCardData>): Promise<StoredCard | undefined> {
    const [row] = await this.db.$queryRawUnsafe<CardRow[]>(
      `UPDATE cards SET last4 = COALESCE($3, last4), expiry_month = COALESCE($4, expiry_month), expiry_year = COALESCE($5, expiry_year),
         brand = COALESCE($6, brand), behaviour = COALESCE($7, behaviour), fingerprint = COALESCE($8, fingerprint), updated_at = now()
       WHERE token = $1 AND customer_id = $2 RETURNING ${CARD_COLUMNS}`,
      token,
      customerId,
      changes.last4 ?? null,
      changes.expiry?.month ?? null,
      changes.expiry?.year ?? null,
      changes.brand ?? null,
      changes.behaviour ?? null,
      changes.fingerprint ?? null,
    );
    return row ? toStoredCard(row) : undefined;
  }
}
