import type { Logger } from 'pino';
import type { ShippingAddress } from '../../../infra/messaging/index.js';
import { plainSqlOf } from '../../../lib/database/index.js';
import { notifyOrdersChanged } from '../data-access/order-change-notifications.js';
import type { OrderDatabase } from '../data-access/order-database.js';
import { OrderTimelineType } from '../domain/order-projection.js';
import type { CheckoutProcessClient } from './checkout-process-client.js';

export interface CheckoutStarterOptions {
  db: OrderDatabase;
  process: CheckoutProcessClient;
  logger: Logger;
  /** How often to look for orders whose start failed or was interrupted. */
  pollIntervalMs?: number;
  batchSize?: number;
}

export interface CheckoutStarter {
  /** Look for orders to start now (after an order was committed). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Starts the checkout process for every order that has none yet. An order is committed first with no
 * process instance key: that null key is the pending-start marker. This loop claims such orders with
 * `FOR UPDATE SKIP LOCKED` (so service replicas never start the same order twice at once), creates
 * the instance and stores its key in the same transaction. A crash or an unreachable engine at any
 * point leaves the marker, and the order is started at the next poll or service start.
 * Delivery is at least once, like the outbox: a crash after Zeebe created the instance but before
 * the commit starts a second one; closing that gap needs a message start event with the orderId as
 * message id, which checkout.bpmn does not have.
 */
export function startCheckoutStarter({ db, process, logger, pollIntervalMs = 5_000, batchSize = 20 }: CheckoutStarterOptions): CheckoutStarter {
  let running = true;
  let pendingWake = true;
  let wakeUp: () => void = () => {};
  const sleep = () =>
    new Promise<void>((resolve) => {
      if (pendingWake || !running) return resolve();
      const timer = setTimeout(resolve, pollIntervalMs);
      wakeUp = () => (clearTimeout(timer), resolve());
    });
  const loop = (async () => {
    while (running) {
      pendingWake = false;
      try {
        const started = await startPendingCheckouts(db, process, logger, batchSize);
        if (started === batchSize) continue;
      } catch (error) {
        logger.warn({ err: error }, 'Checkout start failed; retrying at the next poll');
      }
      await sleep();
    }
  })();
  return {
    wake() {
      pendingWake = true;
      wakeUp();
    },
    async stop() {
      running = false;
      wakeUp();
      await loop;
    },
  };
}

interface PendingOrderRow {
  id: string;
  customer_id: string;
  card_token: string;
  total_amount: number;
  currency: string;
  shipping_address: ShippingAddress;
}

/**
 * Starts up to `batchSize` pending checkouts at once (the engine batches concurrent creations, so a
 * batch costs about one round trip); resolves with how many were started. Rejects with the first
 * failure after keeping the ones that started.
 */
export async function startPendingCheckouts(db: OrderDatabase, process: CheckoutProcessClient, logger: Logger, batchSize = 20): Promise<number> {
  let failure: unknown;
  const started = await plainSqlOf(db).$transaction(
    async (tx) => {
      const orders = await tx.$queryRawUnsafe<PendingOrderRow[]>(
        `SELECT id::text AS id, customer_id, card_token, total_amount, currency, shipping_address FROM orders
         WHERE process_instance_key IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        batchSize,
      );
      if (orders.length === 0) return 0;
      const items = await tx.$queryRawUnsafe<{ orderId: string; sku: string; quantity: number }[]>(
        'SELECT order_id::text AS "orderId", sku, quantity FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY sku',
        orders.map((order) => order.id),
      );
      // Taken before asking: whatever the process causes (a charge, its event) happens after this moment,
      // and the timeline orders by it, while the engine's answer may come after the first job has run.
      const requestedAt = new Date();
      const outcomes = await Promise.allSettled(
        orders.map((order) =>
          process.start({
            orderId: order.id,
            customerId: order.customer_id,
            cardToken: order.card_token,
            items: items.filter((item) => item.orderId === order.id).map(({ sku, quantity }) => ({ sku, quantity })),
            total: { amount: order.total_amount, currency: order.currency.trim() },
            shippingAddress: order.shipping_address,
          }),
        ),
      );
      const startedOrders = orders.flatMap((order, i) => {
        const outcome = outcomes[i]!;
        if (outcome.status === 'fulfilled') return [{ orderId: order.id, processInstanceKey: outcome.value }];
        failure ??= outcome.reason;
        return [];
      });
      if (startedOrders.length === 0) return 0;
      await tx.$executeRawUnsafe(
        `WITH started AS (SELECT * FROM unnest($1::uuid[], $2::text[]) AS s(order_id, process_instance_key)),
              keyed AS (UPDATE orders o SET process_instance_key = started.process_instance_key, updated_at = now() FROM started WHERE o.id = started.order_id)
         INSERT INTO order_timeline_entries (order_id, type, occurred_at, detail)
         SELECT order_id, $3, $4, jsonb_build_object('processInstanceKey', process_instance_key) FROM started`,
        startedOrders.map((s) => s.orderId),
        startedOrders.map((s) => s.processInstanceKey),
        OrderTimelineType.CHECKOUT_STARTED,
        requestedAt,
      );
      await notifyOrdersChanged(tx, startedOrders.map((s) => s.orderId));
      for (const { orderId, processInstanceKey } of startedOrders) logger.info({ orderId, processInstanceKey }, 'Checkout process started');
      return startedOrders.length;
    },
    { timeout: 60_000 },
  );
  if (failure) throw failure;
  return started;
}
