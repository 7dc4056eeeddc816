/** Where an order stands, as projected from the saga's events (see order-projection.ts for the rules). */
export const OrderStatus = {
  PENDING: 'PENDING',
  AWAITING_CARD_UPDATE: 'AWAITING_CARD_UPDATE',
  PAID: 'PAID',
  GOODS_FETCHED: 'GOODS_FETCHED',
  SHIPPED: 'SHIPPED',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'CANCELLED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const orderStatuses = Object.values(OrderStatus) as readonly OrderStatus[];

/** The checkout process has ended: no event moves the order any more. */
export const terminalStatuses: readonly OrderStatus[] = [OrderStatus.COMPLETED, OrderStatus.CANCELLED];

export const activeStatuses: readonly OrderStatus[] = orderStatuses.filter((status) => !terminalStatuses.includes(status));

/**
 * A customer may cancel only while the process is inside its "cancellable until shipping" sub-process
 * (checkout.bpmn `checkout-before-shipping`): once the goods are fetched the process leaves it and
 * shipping starts, so `order.cancel-requested` would find nothing to correlate to.
 */
export const cancellableStatuses: readonly OrderStatus[] = [OrderStatus.PENDING, OrderStatus.AWAITING_CARD_UPDATE, OrderStatus.PAID];

export function isCancellable(status: string): boolean {
  return (cancellableStatuses as readonly string[]).includes(status);
}

export function isOrderStatus(value: string): value is OrderStatus {
  return (orderStatuses as readonly string[]).includes(value);
}
