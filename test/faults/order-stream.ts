/**
 * A stream of orders on every path of checkout.bpmn, placed over HTTP one after another, with the
 * customer's part of each path played as it comes (updating an expired card, asking to cancel). A
 * fault is injected mid-stream through the `midStream` hook; what each order should end as is kept
 * with it for the invariant checker.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { SystemClient } from './system-client.js';

export const OrderPath = {
  HAPPY: 'happy',
  EXPIRED_CARD_UPDATED: 'expired-card-updated',
  EXPIRED_CARD_TIMED_OUT: 'expired-card-timed-out',
  DECLINED: 'declined',
  OUT_OF_STOCK: 'out-of-stock',
  SHIPPING_REJECTED: 'shipping-rejected',
  CUSTOMER_CANCEL: 'customer-cancel',
} as const;
export type OrderPath = (typeof OrderPath)[keyof typeof OrderPath];
export const orderPaths = Object.values(OrderPath) as readonly OrderPath[];

/** Every SKU of the catalog; stock is counted for all of them. */
export const CATALOG_SKUS = ['SKU-TSHIRT', 'SKU-MUG', 'SKU-HOODIE', 'SKU-STICKERS', 'SKU-CAP', 'SKU-POSTER'] as const;
/** Set to zero before the stream, so the out-of-stock path has something to run out of. */
export const SOLD_OUT_SKU = 'SKU-POSTER';
const IN_STOCK_SKUS = CATALOG_SKUS.filter((sku) => sku !== SOLD_OUT_SKU);

const CARD = { succeeds: '4242424242424242', declined: '4000000000000002' } as const;
const FUTURE_EXPIRY = '12/39';
const PAST_EXPIRY = '01/20';

export type FinalStatus = 'COMPLETED' | 'CANCELLED';

/** How an order on a path may end: a status, and for a cancelled one the reasons that fit the path. */
export interface ExpectedOutcome {
  statuses: readonly FinalStatus[];
  cancellationReasons: readonly string[];
}

export const expectedOutcomes: Record<OrderPath, ExpectedOutcome> = {
  [OrderPath.HAPPY]: { statuses: ['COMPLETED'], cancellationReasons: [] },
  [OrderPath.EXPIRED_CARD_UPDATED]: { statuses: ['COMPLETED'], cancellationReasons: [] },
  [OrderPath.EXPIRED_CARD_TIMED_OUT]: { statuses: ['CANCELLED'], cancellationReasons: ['card-not-updated'] },
  [OrderPath.DECLINED]: { statuses: ['CANCELLED'], cancellationReasons: ['payment-declined'] },
  [OrderPath.OUT_OF_STOCK]: { statuses: ['CANCELLED'], cancellationReasons: ['out-of-stock'] },
  [OrderPath.SHIPPING_REJECTED]: { statuses: ['CANCELLED'], cancellationReasons: ['shipping-rejected'] },
  // A cancel request races the saga: once shipping has started the order completes instead.
  [OrderPath.CUSTOMER_CANCEL]: { statuses: ['CANCELLED', 'COMPLETED'], cancellationReasons: ['customer-request'] },
};

export interface StreamOrder {
  path: OrderPath;
  customerId: string;
  cardToken: string;
  items: { sku: string; quantity: number }[];
  shippingAddress: Record<string, string>;
  /** Set once placed. */
  orderId?: string;
  total?: { amount: number; currency: string };
  placedAt?: number;
  /** What went wrong playing the customer's part, if anything; the checker reports it. */
  customerActionError?: string;
}

export interface PlacedStreamOrder extends StreamOrder {
  orderId: string;
  total: { amount: number; currency: string };
}

const address = (country: string) => ({ name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country });

/** The i-th order of a stream: the paths take turns, so every path appears in any seven consecutive orders. */
function planOrder(index: number): Omit<StreamOrder, 'cardToken'> {
  const path = orderPaths[index % orderPaths.length]!;
  const sku = IN_STOCK_SKUS[index % IN_STOCK_SKUS.length]!;
  const other = IN_STOCK_SKUS[(index + 2) % IN_STOCK_SKUS.length]!;
  const items = path === OrderPath.OUT_OF_STOCK ? [{ sku: SOLD_OUT_SKU, quantity: 1 }, { sku, quantity: 1 }] : [{ sku, quantity: 1 + (index % 3) }, { sku: other, quantity: 1 }];
  return { path, customerId: `fault-customer-${randomBytes(4).toString('hex')}`, items, shippingAddress: address(path === OrderPath.SHIPPING_REJECTED ? 'AQ' : 'GB') };
}

export interface StreamOptions {
  count: number;
  intervalMs: number;
  /** Awaited once half the orders are placed; the rest follow when it resolves. */
  midStream: () => Promise<void>;
  /** How long the customer waits for an expired-card order to ask for a new card before giving up. */
  customerPatienceMs: number;
}

/**
 * Tokenizes every customer's card first (so a fault on Payment does not stop the shop from taking
 * orders), then places the orders. `run` resolves when every order is placed; the customers' actions
 * and the orders themselves may still be on their way.
 */
export class OrderStream {
  readonly orders: StreamOrder[] = [];
  private readonly customerActions: Promise<void>[] = [];

  constructor(private readonly client: SystemClient) {}

  async prepare(count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const plan = planOrder(index);
      const expired = plan.path === OrderPath.EXPIRED_CARD_UPDATED || plan.path === OrderPath.EXPIRED_CARD_TIMED_OUT;
      const number = plan.path === OrderPath.DECLINED ? CARD.declined : CARD.succeeds;
      this.orders.push({ ...plan, cardToken: await this.client.tokenizeCard(plan.customerId, number, expired ? PAST_EXPIRY : FUTURE_EXPIRY) });
    }
  }

  async run(options: StreamOptions): Promise<void> {
    const half = Math.ceil(this.orders.length / 2);
    for (const [index, order] of this.orders.entries()) {
      if (index === half) await options.midStream();
      await this.place(order, options.customerPatienceMs);
      await delay(options.intervalMs);
    }
  }

  /** Resolves once every customer's action was taken or given up; awaited after the fault ends, as some need the system whole. */
  async customerActionsDone(): Promise<void> {
    await Promise.all(this.customerActions);
  }

  placed(): PlacedStreamOrder[] {
    return this.orders.filter((order): order is PlacedStreamOrder => order.orderId !== undefined);
  }

  private async place(order: StreamOrder, customerPatienceMs: number): Promise<void> {
    const { orderId, total } = await this.client.placeOrder(order.customerId, { items: order.items, cardToken: order.cardToken, shippingAddress: order.shippingAddress });
    Object.assign(order, { orderId, total, placedAt: Date.now() });
    if (order.path === OrderPath.CUSTOMER_CANCEL) this.customerActions.push(this.cancel(order as PlacedStreamOrder));
    if (order.path === OrderPath.EXPIRED_CARD_UPDATED) this.customerActions.push(this.updateCardWhenAsked(order as PlacedStreamOrder, customerPatienceMs));
  }

  private async cancel(order: PlacedStreamOrder): Promise<void> {
    const status = await this.client.cancelOrder(order.customerId, order.orderId).catch((error: unknown) => error);
    if (status !== 202 && status !== 409) order.customerActionError = `Expected 202 or 409 from POST /orders/${order.orderId}/cancel, but got ${String(status)}`;
  }

  /** Polls the order (bounded) until it waits for a card update, then gives the card a future expiry. */
  private async updateCardWhenAsked(order: PlacedStreamOrder, patienceMs: number): Promise<void> {
    const deadline = Date.now() + patienceMs;
    let status = '';
    while (Date.now() < deadline) {
      status = await this.client.orderStatus(order.customerId, order.orderId).catch(() => 'unreachable');
      if (status === 'AWAITING_CARD_UPDATE') {
        await retrying(() => this.client.updateCardExpiry(order.customerId, order.cardToken, FUTURE_EXPIRY), deadline).catch((error: unknown) => {
          order.customerActionError = `Expected to update the card of order ${order.orderId}, but ${(error as Error).message}`;
        });
        return;
      }
      // Ended without asking (a fault moved it on): the outcome check judges whether that fits.
      if (status === 'COMPLETED' || status === 'CANCELLED') return;
      await delay(250);
    }
    order.customerActionError = `Expected order ${order.orderId} to wait for a card update within ${patienceMs} ms, but it is ${status}`;
  }
}

async function retrying(action: () => Promise<void>, deadline: number): Promise<void> {
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(500);
    }
  }
}
