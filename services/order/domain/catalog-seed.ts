import type { Money } from '../../../infra/messaging/index.js';

/** A product of the catalog the Order service owns; prices in integer minor units. */
export interface Product {
  sku: string;
  name: string;
  price: Money;
}

/**
 * The catalog seeded at the Order service's first start. The Inventory service seeds stock for the
 * same SKUs; keep the two lists equal.
 */
export const catalogSeed: readonly Product[] = [
  { sku: 'SKU-TSHIRT', name: 'Orderflow T-shirt', price: { amount: 2500, currency: 'EUR' } },
  { sku: 'SKU-MUG', name: 'Orderflow mug', price: { amount: 1200, currency: 'EUR' } },
  { sku: 'SKU-HOODIE', name: 'Orderflow hoodie', price: { amount: 5900, currency: 'EUR' } },
  { sku: 'SKU-STICKERS', name: 'Sticker pack', price: { amount: 450, currency: 'EUR' } },
  { sku: 'SKU-CAP', name: 'Orderflow cap', price: { amount: 1990, currency: 'EUR' } },
  { sku: 'SKU-POSTER', name: 'BPMN poster', price: { amount: 1500, currency: 'EUR' } },
];
