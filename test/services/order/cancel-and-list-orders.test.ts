import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertThatProcessInstance } from '../../../infra/engine/testing/index.js';
import { OrderServiceTestKit } from './order-service-test-kit.js';

let kit: OrderServiceTestKit;

beforeAll(async () => {
  kit = await OrderServiceTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

const charged = (orderId: string) => kit.event('payment.charged', { orderId, paymentId: randomUUID(), amount: { amount: 6200, currency: 'EUR' }, cardLast4: '4242' });
const reserved = (orderId: string) => kit.event('inventory.reserved', { orderId, items: [{ sku: 'SKU-TSHIRT', quantity: 2 }] });
const shipped = (orderId: string) => kit.event('shipping.shipped', { orderId, shipmentId: randomUUID(), trackingNumber: 'TRACK-1' });

describe('POST /orders/:id/cancel', () => {
  it('When a PENDING order is cancelled, then the response is 202 and the checkout process receives order.cancel-requested', async () => {
    const orderId = await kit.createOrder();
    const processInstanceKey = await kit.processInstanceKeyOf(orderId);

    const response = await kit.request('POST', `/orders/${orderId}/cancel`);

    expect(response.status).toBe(202);
    await assertThatProcessInstance(kit.engine, processInstanceKey).hasPassedElements('cancel-requested');
  });

  it('When a PAID order is cancelled twice, then both responses are 202 and the timeline records the requests', async () => {
    const orderId = await kit.createOrder();
    await kit.deliver(charged(orderId));

    const responses = [await kit.request('POST', `/orders/${orderId}/cancel`), await kit.request('POST', `/orders/${orderId}/cancel`)];

    expect(responses.map((response) => response.status)).toEqual([202, 202]);
    expect((await kit.getOrder(orderId)).timeline.map((entry: { type: string }) => entry.type)).toContain('order.cancel-requested');
  });

  it.each([
    ['GOODS_FETCHED', (id: string) => [charged(id), reserved(id)]],
    ['SHIPPED', (id: string) => [charged(id), reserved(id), shipped(id)]],
    ['COMPLETED', (id: string) => [kit.event('order.completed', { orderId: id })]],
    ['CANCELLED', (id: string) => [kit.event('order.cancelled', { orderId: id, reason: 'payment-declined' })]],
  ])('When a %s order is cancelled, then the response is 409 problem+json', async (status, events) => {
    const orderId = await kit.createOrder();
    await kit.deliver(...events(orderId));

    const response = await kit.request('POST', `/orders/${orderId}/cancel`);

    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body!.detail).toContain(status);
  });

  it.each([['an unknown id', randomUUID()], ['an id that is not a UUID', 'not-a-uuid']])('When %s is cancelled, then the response is 404', async (_case, orderId) => {
    const response = await kit.request('POST', `/orders/${orderId}/cancel`);

    expect(response.status).toBe(404);
  });
});

describe('GET /orders', () => {
  const customerId = `list-${randomUUID()}`;
  let orderIds: string[];

  beforeAll(async () => {
    orderIds = [];
    for (let index = 0; index < 5; index++) orderIds.push(await kit.createOrder({}, customerId));
    await kit.deliver(charged(orderIds[0]!), charged(orderIds[1]!));
  });

  it('When a customer pages through their orders, then each page has pageSize newest-first orders and the total', async () => {
    const first = await kit.request('GET', '/orders?page=1&pageSize=2', { as: customerId });
    const third = await kit.request('GET', '/orders?page=3&pageSize=2', { as: customerId });

    expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 5 });
    expect(first.body!.items.map((item: { orderId: string }) => item.orderId)).toEqual([orderIds[4], orderIds[3]]);
    expect(third.body!.items.map((item: { orderId: string }) => item.orderId)).toEqual([orderIds[0]]);
  });

  it('When orders are filtered by status, then only orders in that status are listed', async () => {
    const response = await kit.request('GET', '/orders?status=PAID', { as: customerId });

    expect(response.body!.total).toBe(2);
    expect(response.body!.items.map((item: { orderId: string }) => item.orderId).sort()).toEqual([orderIds[0], orderIds[1]].sort());
  });

  it.each([
    ['status=SHIPPING', 'status'],
    ['page=0', 'page'],
    ['pageSize=1000', 'pageSize'],
    ['sort=price', 'sort'],
    ['customerId=customer-2 (the token says who is asking)', 'customerId'],
  ])('When the query has %s, then the response is 400 naming %s', async (query, field) => {
    const response = await kit.request('GET', `/orders?${query.split(' ')[0]!}`);

    expect(response.status).toBe(400);
    expect(response.body!.errors).toContainEqual(expect.objectContaining({ field }));
  });

  it('When an unknown order is read, then the response is 404 problem+json', async () => {
    const response = await kit.request('GET', `/orders/${randomUUID()}`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
