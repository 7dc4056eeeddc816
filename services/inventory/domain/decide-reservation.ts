import type { OrderItem } from '../../../infra/messaging/index.js';

/** One SKU the order could not get: what it asked for and what there was. */
export interface Shortfall {
  sku: string;
  requested: number;
  available: number;
}

export type ReservationDecision = { kind: 'reserve'; lines: OrderItem[] } | { kind: 'out-of-stock'; unavailable: Shortfall[] };

/** The order's items with repeated SKUs added up, sorted by SKU (the order rows are locked in). */
export function mergeItems(items: readonly OrderItem[]): OrderItem[] {
  const quantities = new Map<string, number>();
  for (const item of items) quantities.set(item.sku, (quantities.get(item.sku) ?? 0) + item.quantity);
  return [...quantities].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * All or nothing: reserve every line if the stock covers it, otherwise report every short SKU.
 * A SKU Inventory does not stock counts as available 0.
 */
export function decideReservation(lines: readonly OrderItem[], available: ReadonlyMap<string, number>): ReservationDecision {
  const unavailable = lines
    .map((line) => ({ sku: line.sku, requested: line.quantity, available: available.get(line.sku) ?? 0 }))
    .filter((line) => line.available < line.requested);
  return unavailable.length > 0 ? { kind: 'out-of-stock', unavailable } : { kind: 'reserve', lines: [...lines] };
}
