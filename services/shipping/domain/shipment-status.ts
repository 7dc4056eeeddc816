/** What became of an order's one shipment (column shipments.status). */
export const ShipmentStatus = {
  /** The carrier accepted the parcel and gave a tracking number. */
  SHIPPED: 'shipped',
  /** The carrier refused it (e.g. an address in country AQ); final for the order. */
  REJECTED: 'rejected',
} as const;
export type ShipmentStatus = (typeof ShipmentStatus)[keyof typeof ShipmentStatus];
