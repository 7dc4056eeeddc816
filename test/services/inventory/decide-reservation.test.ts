import { describe, expect, it } from 'vitest';
import { decideReservation, mergeItems } from '../../../services/inventory/domain/decide-reservation.js';

const stock = new Map([
  ['SKU-A', 5],
  ['SKU-B', 0],
]);

describe('decideReservation (all or nothing)', () => {
  it.each([
    ['every line covered', [{ sku: 'SKU-A', quantity: 5 }], { kind: 'reserve', lines: [{ sku: 'SKU-A', quantity: 5 }] }],
    ['one line short', [{ sku: 'SKU-A', quantity: 6 }], { kind: 'out-of-stock', unavailable: [{ sku: 'SKU-A', requested: 6, available: 5 }] }],
    ['a sold-out SKU', [{ sku: 'SKU-A', quantity: 1 }, { sku: 'SKU-B', quantity: 1 }], { kind: 'out-of-stock', unavailable: [{ sku: 'SKU-B', requested: 1, available: 0 }] }],
    ['an unknown SKU', [{ sku: 'SKU-Z', quantity: 1 }], { kind: 'out-of-stock', unavailable: [{ sku: 'SKU-Z', requested: 1, available: 0 }] }],
  ])('When %s, then the decision is as expected', (_case, lines, expected) => {
    expect(decideReservation(lines, stock)).toEqual(expected);
  });
});

describe('mergeItems', () => {
  it('When a SKU repeats, then its quantities are added and the lines are sorted by SKU', () => {
    expect(mergeItems([{ sku: 'SKU-B', quantity: 1 }, { sku: 'SKU-A', quantity: 2 }, { sku: 'SKU-B', quantity: 3 }])).toEqual([
      { sku: 'SKU-A', quantity: 2 },
      { sku: 'SKU-B', quantity: 4 },
    ]);
  });
});
