import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
