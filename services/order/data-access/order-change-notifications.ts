import type { SqlExecutor } from '../../../lib/database/index.js';

/** The PostgreSQL NOTIFY channel an order's change is signalled on; the payload is the order id. */
export const ORDER_CHANGED_CHANNEL = 'orderflow_order_changed';

/**
 * Signals, in the caller's transaction, that the order's status or timeline changed. PostgreSQL
 * delivers the notification only when that transaction commits, to every Order service instance
 * listening, so a live view re-reads committed state only.
 */
export async function notifyOrderChanged(tx: SqlExecutor, orderId: string): Promise<void> {
  await tx.$executeRawUnsafe('SELECT pg_notify($1, $2)', ORDER_CHANGED_CHANNEL, orderId);
}

/** The same for several orders, in one statement. */
export async function notifyOrdersChanged(tx: SqlExecutor, orderIds: readonly string[]): Promise<void> {
  await tx.$executeRawUnsafe('SELECT pg_notify($1, id) FROM unnest($2::text[]) AS id', ORDER_CHANGED_CHANNEL, orderIds);
}
