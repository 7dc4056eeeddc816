import type { Money, OrderItem } from '../../../infra/messaging/index.js';
import type { Product } from './catalog-seed.js';
import { InvalidOrderError, type FieldViolation } from './errors.js';

export interface PricedItem extends OrderItem {
  unitPrice: Money;
}

export interface PricedOrder {
  items: PricedItem[];
  total: Money;
}

/**
 * Prices the requested items from the catalog: the client never supplies a price or a total.
 * @throws InvalidOrderError naming `items[i].sku` for an unknown or repeated SKU, or a currency other than the first item's.
 */
export function priceOrder(items: readonly OrderItem[], catalog: ReadonlyMap<string, Product>): PricedOrder {
  const violations: FieldViolation[] = [];
  const seen = new Set<string>();
  const priced: PricedItem[] = [];
  items.forEach((item, index) => {
    const field = `items[${index}].sku`;
    const product = catalog.get(item.sku);
    if (!product) return void violations.push({ field, message: `Expected a SKU from the catalog, but ${item.sku} is unknown` });
    if (seen.has(item.sku)) return void violations.push({ field, message: `Expected each SKU once, but ${item.sku} is repeated` });
    seen.add(item.sku);
    const currency = priced[0]?.unitPrice.currency ?? product.price.currency;
    if (product.price.currency !== currency) {
      return void violations.push({ field, message: `Expected every item in ${currency}, but ${item.sku} is priced in ${product.price.currency}` });
    }
    priced.push({ sku: item.sku, quantity: item.quantity, unitPrice: product.price });
  });
  if (violations.length > 0 || priced.length === 0) throw new InvalidOrderError(violations);
  const amount = priced.reduce((sum, item) => sum + item.unitPrice.amount * item.quantity, 0);
  return { items: priced, total: { amount, currency: priced[0]!.unitPrice.currency } };
}
