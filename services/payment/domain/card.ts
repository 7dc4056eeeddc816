import { createHmac } from 'node:crypto';
import { passesLuhn } from '../../../infra/messaging/index.js';

/** How the test acquirer answers a charge on a card, decided once at tokenization from the number. */
export const CardBehaviour = { SUCCEEDS: 'succeeds', DECLINED: 'declined' } as const;
export type CardBehaviour = (typeof CardBehaviour)[keyof typeof CardBehaviour];

/**
 * Test card numbers with a behaviour of their own, as a payment provider documents them; every other
 * valid number succeeds. Compared here, at tokenization, and never kept.
 */
export const testCards: readonly { number: string; behaviour: CardBehaviour; description: string }[] = [
  { number: '4242424242424242', behaviour: CardBehaviour.SUCCEEDS, description: 'Visa: the charge succeeds.' },
  { number: '4000000000000002', behaviour: CardBehaviour.DECLINED, description: 'Visa: the charge is declined (card_declined).' },
];

/** The reason a `payment.declined` event gives for a card whose behaviour is `declined`. */
export const DECLINE_REASON = 'card_declined: the issuer declined the charge';

/** A card's expiry: valid through the last day of `month` of `year` (four digits). */
export interface CardExpiry {
  month: number;
  year: number;
}

/** What the Payment service keeps of a card: never the number, never the CVC. */
export interface TokenizedCardData {
  last4: string;
  expiry: CardExpiry;
  brand: string;
  behaviour: CardBehaviour;
  fingerprint: string;
}

/** Spaces and dashes customers type between digit groups are ignored. */
export function normaliseCardNumber(number: string): string {
  return number.replace(/[ -]/g, '');
}

/** Why a card number is not acceptable, or undefined when it is (13–19 digits, Luhn-valid). */
export function cardNumberProblem(number: string): string | undefined {
  const digits = normaliseCardNumber(number);
  if (!/^\d{13,19}$/.test(digits)) return 'Expected 13 to 19 digits';
  if (!passesLuhn(digits)) return 'Expected a card number that passes the Luhn check';
  return undefined;
}

/** Parses `MM/YY` into a four-digit-year expiry, or undefined when malformed. */
export function parseExpiry(text: string): CardExpiry | undefined {
  const match = /^(0[1-9]|1[0-2])\/(\d{2})$/.exec(text);
  if (!match) return undefined;
  return { month: Number(match[1]), year: 2000 + Number(match[2]) };
}

export function formatExpiry({ month, year }: CardExpiry): string {
  return `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
}

/** A card is valid through its expiry month, so it has expired from the first instant (UTC) of the month after. */
export function isExpired(expiry: CardExpiry, now: Date): boolean {
  return now.getTime() >= Date.UTC(expiry.year, expiry.month, 1);
}

const brandPrefixes: readonly [RegExp, string][] = [
  [/^4/, 'visa'],
  [/^(5[1-5]|2[2-7])/, 'mastercard'],
  [/^3[47]/, 'amex'],
  [/^6(011|5)/, 'discover'],
];

export function brandOf(digits: string): string {
  return brandPrefixes.find(([prefix]) => prefix.test(digits))?.[1] ?? 'unknown';
}

/**
 * Keyed so that the fingerprints in a leaked database cannot be brute-forced back to numbers without the key.
 * base64url rather than hex, so a fingerprint never holds a long digit run that looks like a card number.
 */
export function fingerprintOf(digits: string, key: string): string {
  return createHmac('sha256', key).update(digits).digest('base64url');
}

/** What may be kept of a validated card number. The caller must have checked `cardNumberProblem`. */
export function describeCardNumber(number: string, fingerprintKey: string): Omit<TokenizedCardData, 'expiry'> {
  const digits = normaliseCardNumber(number);
  return {
    last4: digits.slice(-4),
    brand: brandOf(digits),
    behaviour: testCards.find((card) => card.number === digits)?.behaviour ?? CardBehaviour.SUCCEEDS,
    fingerprint: fingerprintOf(digits, fingerprintKey),
  };
}
