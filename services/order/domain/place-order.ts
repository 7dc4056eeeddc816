import { createHash } from 'node:crypto';
import type { Money, OrderItem, ShippingAddress } from '../../../infra/messaging/index.js';
import type { OrderRepository } from '../data-access/order-repository.js';
import type { ProductRepository } from '../data-access/product-repository.js';
import { priceOrder } from './price-order.js';

export interface PlaceOrderCommand {
  idempotencyKey: string;
  customerId: string;
  items: OrderItem[];
  cardToken: string;
  shippingAddress: ShippingAddress;
}

export interface PlaceOrderDependencies {
  orders: OrderRepository;
  products: ProductRepository;
  /** Called after a new order committed, so the checkout starter picks it up at once. */
  onOrderPlaced(orderId: string): void;
}

/** A new order with the total it was priced at, or the order an earlier request with the key made. */
export type PlacedOrder = { created: true; orderId: string; total: Money } | { created: false; orderId: string };

/**
 * Prices the order from the catalog and stores it once per idempotency key.
 * @throws InvalidOrderError for SKUs the catalog cannot price; IdempotencyConflictError for a reused key with another body.
 */
export async function placeOrder(command: PlaceOrderCommand, deps: PlaceOrderDependencies): Promise<PlacedOrder> {
  const { idempotencyKey, ...request } = command;
  const catalog = await deps.products.findBySkus(request.items.map((item) => item.sku));
  const priced = priceOrder(request.items, catalog);
  const result = await deps.orders.create({ idempotencyKey, requestHash: requestHash(request), ...request, items: priced.items, total: priced.total });
  if (!result.created) return { created: false, orderId: result.orderId };
  deps.onOrderPlaced(result.orderId);
  return { created: true, orderId: result.orderId, total: priced.total };
}

/** A hash of the request that ignores key order, so the same body sent twice hashes the same. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
