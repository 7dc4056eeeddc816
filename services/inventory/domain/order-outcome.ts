/** What Inventory decided for an order; stored once per order (table order_outcomes). */
export const OrderOutcomeStatus = {
  /** Every item was reserved and picked. */
  RESERVED: 'reserved',
  /** At least one item was short; nothing was reserved. Final: a repeated reserve replays it. */
  OUT_OF_STOCK: 'out-of-stock',
  /** The goods went back to stock, or a release came before any reserve. Final: a later reserve is ignored. */
  RELEASED: 'released',
} as const;
export type OrderOutcomeStatus = (typeof OrderOutcomeStatus)[keyof typeof OrderOutcomeStatus];

/** Status of one reservation line (table reservations). */
export const ReservationStatus = {
  /** Taken out of `available` and picked for the order. */
  PICKED: 'picked',
  /** Put back into `available`. */
  RELEASED: 'released',
} as const;
export type ReservationStatus = (typeof ReservationStatus)[keyof typeof ReservationStatus];
