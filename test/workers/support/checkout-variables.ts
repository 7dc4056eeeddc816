import { randomUUID } from 'node:crypto';

/** The variables the Order service starts a checkout with; override any. */
export function buildCheckoutVariables(overrides: Record<string, unknown> = {}) {
  return {
    orderId: randomUUID(),
    customerId: 'customer-1',
    cardToken: 'tok_4f9a2c1b7e3d',
    total: { amount: 4_999, currency: 'EUR' },
    items: [{ sku: 'SKU-MUG', quantity: 2 }],
    shippingAddress: { name: 'Ada Lovelace', line1: '1 Analytical St', city: 'London', postalCode: 'N1 1AA', country: 'GB' },
    ...overrides,
  };
}
