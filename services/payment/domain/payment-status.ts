/** The kinds of money movement the Payment service records. */
export const PaymentType = { CHARGE: 'charge', REFUND: 'refund' } as const;
export type PaymentType = (typeof PaymentType)[keyof typeof PaymentType];

/**
 * A payment's status. A charge that found the card expired waits as `awaiting-card-update` until the
 * customer updates the card; it then becomes `card-expired` (settled: the retried charge is a new payment).
 * A refund request for its order closes a waiting charge as `cancelled` instead: it never moved money and
 * never will, and a card update no longer wakes it. Only `awaiting-card-update` is open; the rest are final.
 */
export const PaymentStatus = {
  SUCCEEDED: 'succeeded',
  DECLINED: 'declined',
  AWAITING_CARD_UPDATE: 'awaiting-card-update',
  CARD_EXPIRED: 'card-expired',
  CANCELLED: 'cancelled',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];
