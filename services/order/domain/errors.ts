/** A request field that breaks a business rule (unknown SKU, mixed currencies); becomes a 400 naming `field`. */
export interface FieldViolation {
  field: string;
  message: string;
}

/** Thrown when an order cannot be priced from the request: the fields say why. */
export class InvalidOrderError extends Error {
  readonly code = 'INVALID_ORDER';
  constructor(readonly violations: FieldViolation[]) {
    super(`Expected an order the catalog can price, but ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`);
    this.name = 'InvalidOrderError';
  }
}

/** Thrown when an `Idempotency-Key` is reused with a different request body. */
export class IdempotencyConflictError extends Error {
  readonly code = 'IDEMPOTENCY_CONFLICT';
  constructor(readonly orderId: string) {
    super('Expected the same request body for a reused Idempotency-Key, but it differs');
    this.name = 'IdempotencyConflictError';
  }
}

/** Thrown when no order has the id (or the id is not a UUID). */
export class OrderNotFoundError extends Error {
  readonly code = 'ORDER_NOT_FOUND';
  constructor(readonly orderId: string) {
    super(`Expected an order with id ${orderId}, but none exists`);
    this.name = 'OrderNotFoundError';
  }
}

/** Thrown when the customer asks to cancel an order whose process can no longer be cancelled. */
export class OrderNotCancellableError extends Error {
  readonly code = 'ORDER_NOT_CANCELLABLE';
  constructor(
    readonly orderId: string,
    readonly status: string,
  ) {
    super(`Expected an order that is not shipping or ended, but it is ${status}`);
    this.name = 'OrderNotCancellableError';
  }
}
