import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertThatProcessInstance } from '../../../infra/engine/testing/index.js';
import { opsAuthorization, testOpsTokens } from '../../support/ops-token.js';
import { OrderServiceTestKit } from './order-service-test-kit.js';

let kit: OrderServiceTestKit;

beforeAll(async () => {
  kit = await OrderServiceTestKit.start({ opsTokens: testOpsTokens });
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

  it('When a cancel request carries a body with fields, then the response is 400 naming each and nothing is requested: it takes no body', async () => {
    const orderId = await kit.createOrder();

    const response = await kit.request('POST', `/orders/${orderId}/cancel`, { body: { reason: 'changed my mind' } });

    expect(response.status).toBe(400);
    expect(response.body!.errors).toEqual([{ field: 'reason', message: 'Expected no such field, but it was sent' }]);
    expect((await kit.getOrder(orderId)).timeline.map((entry: { type: string }) => entry.type)).not.toContain('order.cancel-requested');
  });

  it('When a cancel request carries an empty JSON object, then it is a cancel request like one without a body', async () => {
    const orderId = await kit.createOrder();

    const response = await kit.request('POST', `/orders/${orderId}/cancel`, { body: {} });

    expect(response.status).toBe(202);
  });

  it.each([['an unknown id', randomUUID()], ['an id that is not a UUID', 'not-a-uuid']])('When %s is cancelled, then the response is 404', async (_case, orderId) => {
    const response = await kit.request('POST', `/orders/${orderId}/cancel`);

    expect(response.status).toBe(404);
  });
});

describe('Operator endpoints /ops/orders/:id', () => {
  const asOperator = (token: 'ops' | 'read' = 'ops') => ({ as: null, headers: opsAuthorization(token) });

  it('When an operator cancels a customer\'s PAID order, then the response is 202, the process cancels with reason operator-request and the timeline says who asked', async () => {
    const orderId = await kit.createOrder({}, 'customer-ops-cancel');
    const processInstanceKey = await kit.processInstanceKeyOf(orderId, 'customer-ops-cancel');
    await kit.deliver(charged(orderId));

    const response = await kit.request('POST', `/ops/orders/${orderId}/cancellation`, asOperator());

    expect(response).toMatchObject({ status: 202, body: { orderId, cancellationRequested: true } });
    await assertThatProcessInstance(kit.engine, processInstanceKey).hasPassedElements('cancel-requested').hasVariable('cancellationReason', 'operator-request');
    const { timeline } = await kit.getOrder(orderId, 'customer-ops-cancel');
    expect(timeline).toContainEqual(expect.objectContaining({ type: 'order.cancel-requested', detail: { requestedBy: 'operator' } }));
  });

  it('When a customer cancels, then the process cancels with reason customer-request', async () => {
    const orderId = await kit.createOrder();
    const processInstanceKey = await kit.processInstanceKeyOf(orderId);

    await kit.request('POST', `/orders/${orderId}/cancel`);

    await assertThatProcessInstance(kit.engine, processInstanceKey).hasPassedElements('cancel-requested').hasVariable('cancellationReason', 'customer-request');
  });

  it('When an operator reads any customer\'s order with the read token, then it is the order with its timeline', async () => {
    const orderId = await kit.createOrder({}, 'customer-ops-read');

    const response = await kit.request('GET', `/ops/orders/${orderId}`, asOperator('read'));

    expect(response).toMatchObject({ status: 200, body: { orderId, customerId: 'customer-ops-read', status: 'PENDING', cancellable: true, timeline: expect.any(Array) } });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('When the read token asks to cancel, then the response is 403 and nothing is requested', async () => {
    const orderId = await kit.createOrder();

    const response = await kit.request('POST', `/ops/orders/${orderId}/cancellation`, asOperator('read'));

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ errors: [{ field: 'Authorization' }] });
    expect((await kit.getOrder(orderId)).timeline.map((entry: { type: string }) => entry.type)).not.toContain('order.cancel-requested');
  });

  it.each([
    ['no Authorization header', null],
    ["the order's customer token", 'customer-1'],
  ])('When an operator endpoint is called with %s, then the response is 401 problem+json', async (_case, as) => {
    const orderId = await kit.createOrder();

    const responses = [await kit.request('GET', `/ops/orders/${orderId}`, { as }), await kit.request('POST', `/ops/orders/${orderId}/cancellation`, { as })];

    expect(responses.map((response) => response.status)).toEqual([401, 401]);
    expect(responses[0]!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('When an operator sends a cancellation with a body field, then the response is 400 naming it and nothing is requested', async () => {
    const orderId = await kit.createOrder();

    const response = await kit.request('POST', `/ops/orders/${orderId}/cancellation`, { ...asOperator(), body: { reason: 'fraud' } });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body!.errors)).toContain('reason');
    expect((await kit.getOrder(orderId)).timeline.map((entry: { type: string }) => entry.type)).not.toContain('order.cancel-requested');
  });

  it('When an operator cancels a SHIPPED order, then the response is 409 naming the status; an unknown order is 404', async () => {
    const orderId = await kit.createOrder();
    await kit.deliver(charged(orderId), reserved(orderId), shipped(orderId));

    const shippedOrder = await kit.request('POST', `/ops/orders/${orderId}/cancellation`, asOperator());
    const unknown = await kit.request('POST', `/ops/orders/${randomUUID()}/cancellation`, asOperator());

    expect(shippedOrder.status).toBe(409);
    expect(shippedOrder.body!.detail).toContain('SHIPPED');
    expect(unknown.status).toBe(404);
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
