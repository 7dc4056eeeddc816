/** The kinds of money movement the Payment service records. */
export const PaymentType = { CHARGE: 'charge', REFUND: 'refund' } as const;
export type PaymentType = (typeof PaymentType)[keyof typeof PaymentType];

/**
 * A payment's status. A charge that found the card expired waits as `awaiting-card-update` until the
 * customer updates the card; it then becomes `card-expired` (settled: the retried charge is a new payment).
 */
export const PaymentStatus = {
  SUCCEEDED: 'succeeded',
  DECLINED: 'declined',
  AWAITING_CARD_UPDATE: 'awaiting-card-update',
  CARD_EXPIRED: 'card-expired',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];
