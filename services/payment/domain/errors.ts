/** A request field that is not acceptable; becomes a 400 naming `field`. */
export interface FieldViolation {
  field: string;
  message: string;
}

/** Thrown when card details fail validation (number, expiry, CVC); the violations name the fields, never their values. */
export class InvalidCardError extends Error {
  readonly code = 'INVALID_CARD';
  constructor(readonly violations: FieldViolation[]) {
    super(`Expected valid card details, but ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`);
    this.name = 'InvalidCardError';
  }
}

/** Thrown when no stored card has the token. */
export class CardNotFoundError extends Error {
  readonly code = 'CARD_NOT_FOUND';
  constructor(readonly cardToken: string) {
    super('Expected a stored card with this token, but none exists');
    this.name = 'CardNotFoundError';
  }
}
