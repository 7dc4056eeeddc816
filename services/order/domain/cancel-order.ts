import type { OrderRepository } from '../data-access/order-repository.js';
import { OrderNotCancellableError, OrderNotFoundError } from './errors.js';
import { cancellableStatuses, type OrderStatus } from './order-status.js';

export interface CancelOrderDependencies {
  orders: OrderRepository;
  /** Publishes `order.cancel-requested` to the order's checkout process. */
  requestCancel(orderId: string): Promise<void>;
}

/**
 * Asks the checkout process to cancel; the outcome arrives later as `order.cancelled`.
 * @throws OrderNotFoundError for an unknown order or another customer's; OrderNotCancellableError once shipping started or the process ended.
 */
export async function requestOrderCancellation(orderId: string, customerId: string, deps: CancelOrderDependencies): Promise<void> {
  const order = await deps.orders.findView(orderId, customerId);
  if (!order) throw new OrderNotFoundError(orderId);
  if (!cancellableStatuses.includes(order.status as OrderStatus)) throw new OrderNotCancellableError(orderId, order.status);
  await deps.requestCancel(orderId);
  await deps.orders.recordCancelRequested(orderId);
}
