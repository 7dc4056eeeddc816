import { randomInt } from 'node:crypto';
import type { CardBehaviour, CardExpiry, TokenizedCardData } from '../domain/card.js';
import type { Prisma } from './generated/index.js';
import type { PaymentDatabase } from './payment-database.js';

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

type CardRow = { token: string; last4: string; expiryMonth: number; expiryYear: number; brand: string; behaviour: string; customerId: string | null };

function toStoredCard(row: CardRow): StoredCard {
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
  constructor(private readonly db: PaymentDatabase | Prisma.TransactionClient) {}

  /** Stores the customer's card under a fresh random token and resolves with it. */
  async create(card: TokenizedCardData, customerId: string): Promise<StoredCard> {
    const row = await this.db.card.create({
      data: {
        token: newCardToken(),
        customerId,
        last4: card.last4,
        expiryMonth: card.expiry.month,
        expiryYear: card.expiry.year,
        brand: card.brand,
        behaviour: card.behaviour,
        fingerprint: card.fingerprint,
      },
    });
    return toStoredCard(row);
  }

  async find(token: string): Promise<StoredCard | undefined> {
    // Read on every charge: plain SQL, cheaper than a model query.
    const [row] = await this.db.$queryRawUnsafe<CardRow[]>(
      `SELECT token, last4, expiry_month AS "expiryMonth", expiry_year AS "expiryYear", brand, behaviour, customer_id AS "customerId" FROM cards WHERE token = $1`,
      token,
    );
    return row ? toStoredCard(row) : undefined;
  }

  /** Resolves with the updated card, or undefined when the customer has no card with the token. */
  async update(token: string, customerId: string, changes: Partial<TokenizedCardData>): Promise<StoredCard | undefined> {
    const result = await this.db.card.updateMany({
      where: { token, customerId },
      data: {
        ...(changes.last4 === undefined ? {} : { last4: changes.last4 }),
        ...(changes.expiry === undefined ? {} : { expiryMonth: changes.expiry.month, expiryYear: changes.expiry.year }),
        ...(changes.brand === undefined ? {} : { brand: changes.brand }),
        ...(changes.behaviour === undefined ? {} : { behaviour: changes.behaviour }),
        ...(changes.fingerprint === undefined ? {} : { fingerprint: changes.fingerprint }),
      },
    });
    return result.count === 0 ? undefined : this.find(token);
  }
}
