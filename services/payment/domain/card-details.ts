import { cardNumberProblem, parseExpiry, describeCardNumber, type CardExpiry, type TokenizedCardData } from './card.js';
import { InvalidCardError, type FieldViolation } from './errors.js';

/** Card details as a client sends them; the HTTP layer has checked they are strings. */
export interface CardDetailsInput {
  number?: string | undefined;
  expiry?: string | undefined;
  cvc?: string | undefined;
}

const cvcPattern = /^\d{3,4}$/;

/**
 * Validates a new card and reduces it to what may be stored. The CVC is checked, then dropped: it is
 * only ever needed to prove the customer holds the card. A past expiry is accepted (it is expired at charge time).
 * @throws InvalidCardError naming every field that is missing or malformed.
 */
export function readNewCard(input: CardDetailsInput, fingerprintKey: string): TokenizedCardData {
  const violations = [...numberViolations(input.number, true), ...cvcViolations(input.cvc, true)];
  const expiry = readExpiry(input.expiry, true, violations);
  if (violations.length > 0 || expiry === undefined) throw new InvalidCardError(violations);
  return { ...describeCardNumber(input.number!, fingerprintKey), expiry };
}

/**
 * Validates a card update: a new number needs its CVC; at least one of number and expiry must change.
 * @throws InvalidCardError naming every field that is missing or malformed.
 */
export function readCardUpdate(input: CardDetailsInput, fingerprintKey: string): Partial<TokenizedCardData> {
  const violations: FieldViolation[] = [];
  if (input.number === undefined && input.expiry === undefined) {
    violations.push({ field: 'body', message: 'Expected number or expiry to update' });
  }
  violations.push(...numberViolations(input.number, false), ...cvcViolations(input.cvc, input.number !== undefined));
  const expiry = readExpiry(input.expiry, false, violations);
  if (violations.length > 0) throw new InvalidCardError(violations);
  return {
    ...(input.number === undefined ? {} : describeCardNumber(input.number, fingerprintKey)),
    ...(expiry === undefined ? {} : { expiry }),
  };
}

function numberViolations(number: string | undefined, required: boolean): FieldViolation[] {
  if (number === undefined) return required ? [{ field: 'number', message: 'Expected a card number' }] : [];
  const problem = cardNumberProblem(number);
  return problem ? [{ field: 'number', message: problem }] : [];
}

function cvcViolations(cvc: string | undefined, required: boolean): FieldViolation[] {
  if (cvc === undefined) return required ? [{ field: 'cvc', message: 'Expected the 3 or 4 digit security code' }] : [];
  return cvcPattern.test(cvc) ? [] : [{ field: 'cvc', message: 'Expected 3 or 4 digits' }];
}

function readExpiry(text: string | undefined, required: boolean, violations: FieldViolation[]): CardExpiry | undefined {
  if (text === undefined) {
    if (required) violations.push({ field: 'expiry', message: 'Expected an expiry as MM/YY' });
    return undefined;
  }
  const expiry = parseExpiry(text);
  if (!expiry) violations.push({ field: 'expiry', message: 'Expected an expiry as MM/YY with a month from 01 to 12' });
  return expiry;
}
