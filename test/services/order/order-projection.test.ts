import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, EventType, Message } from '../../../infra/messaging/index.js';
import { useServiceDatabase } from '../../support/service-database.js';
import { createOrderDatabase } from '../../../services/order/data-access/order-database.js';
import { OrderProjectionRepository } from '../../../services/order/data-access/order-projection-repository.js';
import { OrderServiceTestKit } from './order-service-test-kit.js';

let kit: OrderServiceTestKit;

beforeAll(async () => {
  kit = await OrderServiceTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, second));
const charged = (orderId: string, second = 1) => kit.event('payment.charged', { orderId, paymentId: randomUUID(), amount: { amount: 6200, currency: 'EUR' }, cardLast4: '4242' }, at(second));
const reserved = (orderId: string, second = 2) => kit.event('inventory.reserved', { orderId, items: [{ sku: 'SKU-TSHIRT', quantity: 2 }] }, at(second));
const shipped = (orderId: string, second = 3) => kit.event('shipping.shipped', { orderId, shipmentId: randomUUID(), trackingNumber: 'TRACK-1' }, at(second));
const completed = (orderId: string, second = 4) => kit.event('order.completed', { orderId }, at(second));
const cardExpired = (orderId: string, second = 1) => kit.event('payment.card-expired', { orderId, cardToken: 'tok_4242abcd4242', cardLast4: '0002' }, at(second));
const cardUpdated = (orderId: string, second = 2) => kit.event('payment.card-updated', { orderId, cardToken: 'tok_4242abcd4242', cardLast4: '4242' }, at(second));
const cancelled = (orderId: string, reason: 'customer-request' | 'out-of-stock', second = 5) => kit.event('order.cancelled', { orderId, reason }, at(second));

describe('order projection: status', () => {
  it.each([
    ['payment.charged', (id: string) => [charged(id)], 'PAID'],
    ['payment.card-expired', (id: string) => [cardExpired(id)], 'AWAITING_CARD_UPDATE'],
    ['payment.card-expired then payment.card-updated', (id: string) => [cardExpired(id), cardUpdated(id)], 'PENDING'],
    ['card expired, updated, then charged', (id: string) => [cardExpired(id, 1), cardUpdated(id, 2), charged(id, 3)], 'PAID'],
    ['charged then reserved', (id: string) => [charged(id), reserved(id)], 'GOODS_FETCHED'],
    ['charged, reserved, shipped', (id: string) => [charged(id), reserved(id), shipped(id)], 'SHIPPED'],
    ['the whole happy path', (id: string) => [charged(id), reserved(id), shipped(id), completed(id)], 'COMPLETED'],
    ['payment.declined only', (id: string) => [kit.event('payment.declined', { orderId: id, reason: 'Declined' })], 'PENDING'],
  ])('When %s is delivered, then the order is %s', async (_case, events, status) => {
    const orderId = await kit.createOrder();

    await kit.deliver(...events(orderId));

    expect((await kit.getOrder(orderId)).status).toBe(status);
  });

  it('When order.cancelled is delivered, then the order is CANCELLED with the reason', async () => {
    const orderId = await kit.createOrder();

    await kit.deliver(charged(orderId), cancelled(orderId, 'customer-request'));

    expect(await kit.getOrder(orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'customer-request' });
  });
});

describe('order projection: out of order and twice', () => {
  it('When payment.charged arrives after shipping.shipped, then the order stays SHIPPED', async () => {
    const orderId = await kit.createOrder();

    await kit.deliver(shipped(orderId, 3), reserved(orderId, 2), charged(orderId, 1));

    expect((await kit.getOrder(orderId)).status).toBe('SHIPPED');
  });

  it('When a late event arrives after order.completed, then the order stays COMPLETED', async () => {
    const orderId = await kit.createOrder();

    await kit.deliver(completed(orderId, 4), shipped(orderId, 3));

    expect((await kit.getOrder(orderId)).status).toBe('COMPLETED');
  });

  it('When order.cancelled arrives before the events that preceded it, then the order stays CANCELLED', async () => {
    const orderId = await kit.createOrder();

    await kit.deliver(cancelled(orderId, 'out-of-stock', 5), charged(orderId, 1));

    expect(await kit.getOrder(orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'out-of-stock' });
  });

  it('When payment.card-expired arrives after the card update that answered it, then the order is not parked again', async () => {
    const orderId = await kit.createOrder();

    await kit.deliver(cardUpdated(orderId, 2), cardExpired(orderId, 1));

    expect((await kit.getOrder(orderId)).status).toBe('PENDING');
  });

  it('When the same event is delivered twice, then it is on the timeline once', async () => {
    const orderId = await kit.createOrder();
    const event = charged(orderId);

    await kit.deliver(event, event);

    const timeline = (await kit.getOrder(orderId)).timeline.filter((entry: { type: string }) => entry.type === 'payment.charged');
    expect(timeline).toHaveLength(1);
  });
});

describe('order projection: timeline', () => {
  it('When events are delivered, then the timeline lists them by when they happened, with their details and no card token', async () => {
    const orderId = await kit.createOrder();

    await kit.deliver(reserved(orderId, 2), charged(orderId, 1));

    const timeline = (await kit.getOrder(orderId)).timeline as { at: string; type: string; detail: Record<string, unknown> }[];
    const projected = timeline.filter((entry) => entry.type.startsWith('payment.') || entry.type.startsWith('inventory.'));
    expect(projected).toEqual([
      { id: expect.any(String), at: at(1).toISOString(), type: 'payment.charged', detail: expect.objectContaining({ amount: { amount: 6200, currency: 'EUR' }, cardLast4: '4242' }) },
      { id: expect.any(String), at: at(2).toISOString(), type: 'inventory.reserved', detail: { items: [{ sku: 'SKU-TSHIRT', quantity: 2 }] } },
    ]);
    expect(JSON.stringify(timeline)).not.toContain('tok_');
  });

  it('When an event names an order the service does not know, then it is acknowledged and nothing is stored', async () => {
    const orderId = randomUUID();

    await kit.deliver(charged(orderId));

    expect(await kit.db.orderTimelineEntry.count({ where: { orderId } })).toBe(0);
  });
});

describe('order projection: events projected together', () => {
  const asMessage = (envelope: Envelope<EventType>) => envelope as Message<EventType>;
  const projection = () => new OrderProjectionRepository(kit.db);
  const statusAndTimeline = async (orderId: string) => {
    const order = await kit.getOrder(orderId);
    // The projected events only: the order's own entries (placed, checkout started) differ in time between two orders.
    const timeline = (order.timeline as { type: string; at: string }[]).filter((entry) => entry.at.startsWith('2030')).map(({ type, at: when }) => `${when} ${type}`);
    return { status: order.status, cancellationReason: order.cancellationReason, timeline };
  };

  /** The checkout's events, each at its own second, and a copy of one: in any order, several to a batch. */
  const eventsOf = (orderId: string) => [
    cardExpired(orderId, 1), cardUpdated(orderId, 2), charged(orderId, 3), reserved(orderId, 4), shipped(orderId, 5), completed(orderId, 6),
    cancelled(orderId, 'customer-request', 7), kit.event('payment.declined', { orderId, reason: 'Declined' }, at(8)),
  ];

  it('When an order\'s events are projected together, then each sees what the ones before it in the batch did, as one at a time would', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), fc.nat(7), fc.integer({ min: 1, max: 4 }),
        async (picked, copied, batchSize) => {
          const together = await kit.createOrder();
          const oneByOne = await kit.createOrder();
          const sequence = (orderId: string) => {
            const events = eventsOf(orderId);
            const chosen = picked.map((i) => events[i]!);
            return [...chosen, chosen[copied % chosen.length]!].map(asMessage);
          };

          const batched = sequence(together);
          for (let i = 0; i < batched.length; i += batchSize) await projection().applyAll(batched.slice(i, i + batchSize));
          for (const message of sequence(oneByOne)) await projection().apply(message);

          expect(await statusAndTimeline(together)).toEqual(await statusAndTimeline(oneByOne));
        },
      ),
      // The one pair whose order in time decides within a batch (a card update, then the expiry it answered), and copies side by side.
      { numRuns: 25, examples: [[[1, 0], 1, 3], [[1, 0, 2], 0, 4], [[3, 2], 1, 2]] },
    );
  }, 60_000);

  it('When a card update and the earlier expiry it answered arrive in one batch, then the order is not parked again', async () => {
    const orderId = await kit.createOrder();

    await projection().applyAll([cardUpdated(orderId, 2), cardExpired(orderId, 1)].map(asMessage));

    expect((await kit.getOrder(orderId)).status).toBe('PENDING');
  });

  it('When a batch holds events of several orders and of an unknown one, then each order gets its own and the unknown one is left out', async () => {
    const first = await kit.createOrder();
    const second = await kit.createOrder();
    const unknown = charged(randomUUID());
    const copy = reserved(first);

    const outcomes = await projection().applyAll([charged(first), unknown, charged(second), copy, reserved(second), copy].map(asMessage));

    expect(outcomes.map((o) => o.outcome)).toEqual(['applied', 'unknown-order', 'applied', 'applied', 'applied', 'duplicate']);
    expect((await kit.getOrder(first)).status).toBe('GOODS_FETCHED');
    expect((await kit.getOrder(second)).status).toBe('GOODS_FETCHED');
    expect(await kit.db.inboxMessage.count({ where: { messageId: unknown.id } })).toBe(0);
  });

  it('When an event was projected in an earlier batch, then a copy in a later batch is a duplicate', async () => {
    const orderId = await kit.createOrder();
    const event = asMessage(charged(orderId));
    await projection().applyAll([event, asMessage(reserved(orderId))]);

    const [outcome] = await projection().applyAll([event, asMessage(shipped(orderId))]);

    expect(outcome).toEqual({ outcome: 'duplicate' });
    expect((await kit.getOrder(orderId)).timeline.filter((entry: { type: string }) => entry.type === 'payment.charged')).toHaveLength(1);
  });
});

describe('order projection: storage', () => {
  const database = useServiceDatabase('order', createOrderDatabase);

  /** The table's update counters; the server publishes a connection's counts shortly after it goes idle. */
  async function orderUpdates(): Promise<{ updates: number; hot: number }> {
    const [row] = await database.db.$queryRawUnsafe<{ updates: bigint; hot: bigint }[]>(
      `SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'orders'`,
    );
    return { updates: Number(row!.updates), hot: Number(row!.hot) };
  }

  it('When the projection moves orders through their statuses, then every status change is a HOT update that rewrites no index entry', { timeout: 30_000 }, async () => {
    const orderIds = [randomUUID(), randomUUID(), randomUUID()];
    for (const orderId of orderIds) {
      await database.db.$executeRawUnsafe(
        `INSERT INTO orders (id, customer_id, status, total_amount, currency, card_token, shipping_address, process_instance_key, updated_at)
         VALUES ($1::uuid, 'customer-1', 'PENDING', 6200, 'EUR', 'tok_4242abcd4242', '{}'::jsonb, '2251799813685249', now())`,
        orderId,
      );
    }
    const projection = new OrderProjectionRepository(database.db);

    for (const orderId of orderIds) await projection.applyAll([charged(orderId), reserved(orderId), shipped(orderId), completed(orderId)]);

    await expect.poll(orderUpdates, { timeout: 20_000, interval: 250 }).toEqual({ updates: 3, hot: 3 });
  });
});
