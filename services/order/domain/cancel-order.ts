import { ANY_CUSTOMER, type OrderRepository } from '../data-access/order-repository.js';
import { OrderNotCancellableError, OrderNotFoundError } from './errors.js';
import { isCancellable } from './order-status.js';

/** Who asked to cancel; the process names the reason after it (`customer-request`, `operator-request`). */
export const CancelRequester = { CUSTOMER: 'customer', OPERATOR: 'operator' } as const;
export type CancelRequester = (typeof CancelRequester)[keyof typeof CancelRequester];

/** A customer may cancel only their own order; an operator any order. */
export type CancelRequest = { by: typeof CancelRequester.CUSTOMER; customerId: string } | { by: typeof CancelRequester.OPERATOR };

export interface CancelOrderDependencies {
  orders: OrderRepository;
  /** Publishes `order.cancel-requested` to the order's checkout process. */
  requestCancel(orderId: string, requestedBy: CancelRequester): Promise<void>;
}

/**
 * Asks the checkout process to cancel; the outcome arrives later as `order.cancelled`, after the
 * process refunded what was charged and released what was reserved.
 * @throws OrderNotFoundError for an unknown order or, asked by a customer, another customer's; OrderNotCancellableError once shipping started or the process ended.
 */
export async function requestOrderCancellation(orderId: string, request: CancelRequest, deps: CancelOrderDependencies): Promise<void> {
  const order = await deps.orders.findView(orderId, request.by === CancelRequester.CUSTOMER ? request.customerId : ANY_CUSTOMER);
  if (!order) throw new OrderNotFoundError(orderId);
  if (!isCancellable(order.status)) throw new OrderNotCancellableError(orderId, order.status);
  await deps.requestCancel(orderId, request.by);
  await deps.orders.recordCancelRequested(orderId, request.by);
}
