import type { Logger } from 'pino';
import type { ShippingAddress } from '../../../infra/messaging/index.js';
import { notifyOrderChanged } from '../data-access/order-change-notifications.js';
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

/** Starts up to `batchSize` pending checkouts; resolves with how many were started. Rejects on the first failure, keeping the ones before it. */
export async function startPendingCheckouts(db: OrderDatabase, process: CheckoutProcessClient, logger: Logger, batchSize = 20): Promise<number> {
  let failure: unknown;
  const started = await db.$transaction(
    async (tx) => {
      const orders = await tx.$queryRawUnsafe<PendingOrderRow[]>(
        `SELECT id::text AS id, customer_id, card_token, total_amount, currency, shipping_address FROM orders
         WHERE process_instance_key IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        batchSize,
      );
      let count = 0;
      for (const order of orders) {
        const items = await tx.orderItem.findMany({ where: { orderId: order.id }, orderBy: { sku: 'asc' }, select: { sku: true, quantity: true } });
        let processInstanceKey: string;
        try {
          processInstanceKey = await process.start({
            orderId: order.id,
            customerId: order.customer_id,
            cardToken: order.card_token,
            items,
            total: { amount: order.total_amount, currency: order.currency.trim() },
            shippingAddress: order.shipping_address,
          });
        } catch (error) {
          failure = error;
          break;
        }
        await tx.order.update({ where: { id: order.id }, data: { processInstanceKey } });
        await tx.orderTimelineEntry.create({ data: { orderId: order.id, type: OrderTimelineType.CHECKOUT_STARTED, occurredAt: new Date(), detail: { processInstanceKey } } });
        await notifyOrderChanged(tx, order.id);
        logger.info({ orderId: order.id, processInstanceKey }, 'Checkout process started');
        count += 1;
      }
      return count;
    },
    { timeout: 60_000 },
  );
  if (failure) throw failure;
  return started;
}
