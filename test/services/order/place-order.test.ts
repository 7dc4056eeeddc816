import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertThatProcessInstance } from '../../../infra/engine/testing/index.js';
import { buildOrderRequest, OrderServiceTestKit } from './order-service-test-kit.js';

let kit: OrderServiceTestKit;

beforeAll(async () => {
  kit = await OrderServiceTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

const address = buildOrderRequest().shippingAddress as Record<string, unknown>;

describe('POST /orders: validation', () => {
  it.each([
    ['a client-chosen customerId', { customerId: 'customer-2' }, 'customerId'],
    ['no items', { items: [] }, 'items'],
    ['items not an array', { items: 'SKU-MUG' }, 'items'],
    ['a zero quantity', { items: [{ sku: 'SKU-MUG', quantity: 0 }] }, 'items[0].quantity'],
    ['a fractional quantity', { items: [{ sku: 'SKU-MUG', quantity: 1.5 }] }, 'items[0].quantity'],
    ['a quantity as a string', { items: [{ sku: 'SKU-MUG', quantity: '2' }] }, 'items[0].quantity'],
    ['an unknown sku', { items: [{ sku: 'SKU-MUG', quantity: 1 }, { sku: 'SKU-NOPE', quantity: 1 }] }, 'items[1].sku'],
    ['a repeated sku', { items: [{ sku: 'SKU-MUG', quantity: 1 }, { sku: 'SKU-MUG', quantity: 2 }] }, 'items[1].sku'],
    ['a client-set item price', { items: [{ sku: 'SKU-MUG', quantity: 1, price: 1 }] }, 'items[0].price'],
    ['a malformed card token', { cardToken: '4242424242424242' }, 'cardToken'],
    ['no shipping address', { shippingAddress: undefined }, 'shippingAddress'],
    ['a shipping address without city', { shippingAddress: { ...address, city: undefined } }, 'shippingAddress.city'],
    ['a name of only spaces', { shippingAddress: { ...address, name: '   ' } }, 'shippingAddress.name'],
    ['a street line of only a tab', { shippingAddress: { ...address, line1: '\t' } }, 'shippingAddress.line1'],
    ['a postal code of only spaces', { shippingAddress: { ...address, postalCode: '  ' } }, 'shippingAddress.postalCode'],
    ['a lower-case country', { shippingAddress: { ...address, country: 'gb' } }, 'shippingAddress.country'],
    ['a country code ISO 3166-1 does not assign', { shippingAddress: { ...address, country: 'XX' } }, 'shippingAddress.country'],
    ['UK, which ISO 3166-1 only reserves (the code is GB)', { shippingAddress: { ...address, country: 'UK' } }, 'shippingAddress.country'],
    ['a client-set total', { total: { amount: 1, currency: 'EUR' } }, 'total'],
    ['a client-set status', { status: 'PAID' }, 'status'],
  ])('When the body has %s, then the response is 400 naming %s', async (_case, overrides, field) => {
    const response = await kit.placeOrder(buildOrderRequest(overrides));

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
    expect(response.body!.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('When the Idempotency-Key header is missing, then the response is 400 naming it', async () => {
    const response = await kit.request('POST', '/orders', { body: buildOrderRequest() });

    expect(response.status).toBe(400);
    expect(response.body!.errors).toContainEqual(expect.objectContaining({ field: 'Idempotency-Key' }));
  });

  it('When the body is not JSON, then the response is 400 naming the body', async () => {
    const response = await kit.request('POST', '/orders', { rawBody: '{"items":', headers: { 'Idempotency-Key': randomUUID() } });

    expect(response.status).toBe(400);
    expect(response.body!.errors).toContainEqual(expect.objectContaining({ field: 'body' }));
  });

  it('When the body is larger than the limit, then the response is 413', async () => {
    const response = await kit.placeOrder(buildOrderRequest({ shippingAddress: { ...address, line2: 'x'.repeat(100_000) } }));

    expect(response.status).toBe(413);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])('When a valid order is sent as %s, then the response is 415 naming Content-Type and no order is stored', async (contentType) => {
    const customerId = `media-type-${randomUUID()}`;

    const response = await kit.request('POST', '/orders', { body: buildOrderRequest(), headers: { 'Idempotency-Key': randomUUID(), 'content-type': contentType }, as: customerId });

    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body!.errors).toEqual([{ field: 'Content-Type', message: 'Expected application/json' }]);
    expect(await kit.db.order.count({ where: { customerId } })).toBe(0);
  });

  it.each([
    ['PUT', '/orders', 'GET, HEAD, POST'],
    ['DELETE', `/orders/${randomUUID()}`, 'GET, HEAD'],
    ['GET', `/orders/${randomUUID()}/cancel`, 'POST'],
  ])('When %s %s is sent, then the response is 405 with Allow: %s', async (method, path, allow) => {
    const response = await kit.request(method, path);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.body).toMatchObject({ title: 'Method not allowed', status: 405 });
  });

  it('When a request is rejected, then no order is stored', async () => {
    const customerId = `rejected-${randomUUID()}`;
    await kit.placeOrder(buildOrderRequest({ items: [{ sku: 'SKU-NOPE', quantity: 1 }] }), randomUUID(), customerId);

    expect(await kit.db.order.count({ where: { customerId } })).toBe(0);
  });
});

describe('POST /orders: pricing', () => {
  it('When an order is placed, then the response is 201 with a PENDING order and its total from the catalog', async () => {
    const response = await kit.placeOrder(buildOrderRequest({ items: [{ sku: 'SKU-TSHIRT', quantity: 2 }, { sku: 'SKU-POSTER', quantity: 3 }] }));

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/orders/${response.body!.orderId}`);
    expect(response.body).toEqual({ orderId: expect.any(String), status: 'PENDING', total: { amount: 2 * 2500 + 3 * 1500, currency: 'EUR' } });
  });

  it('When an order is placed, then its items carry the catalog unit prices', async () => {
    const orderId = await kit.createOrder({ items: [{ sku: 'SKU-HOODIE', quantity: 1 }] });

    expect((await kit.getOrder(orderId)).items).toEqual([{ sku: 'SKU-HOODIE', quantity: 1, unitPrice: { amount: 5900, currency: 'EUR' } }]);
  });

  it('When an order is read, then it names the card token it is charged to, which a card update for it must name', async () => {
    const orderId = await kit.createOrder({ cardToken: 'tok_expired0card1' });

    const order = await kit.getOrder(orderId);

    expect(order.cardToken).toBe('tok_expired0card1');
  });

  it('When the catalog is read, then it lists the seeded products with integer prices', async () => {
    const response = await kit.request('GET', '/products');

    expect(response.status).toBe(200);
    expect(response.body!.items.map((product: { sku: string }) => product.sku)).toEqual(['SKU-CAP', 'SKU-HOODIE', 'SKU-MUG', 'SKU-POSTER', 'SKU-STICKERS', 'SKU-TSHIRT']);
    expect(response.body!.items).toContainEqual({ sku: 'SKU-MUG', name: expect.any(String), price: 1200, currency: 'EUR' });
  });
});

describe('POST /orders: idempotency', () => {
  it('When the same key is sent twice with the same body, then both responses name one order', async () => {
    const key = randomUUID();
    const body = buildOrderRequest();

    const first = await kit.placeOrder(body, key, `idem-${key}`);
    const second = await kit.placeOrder(body, key, `idem-${key}`);

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body!.orderId).toBe(first.body!.orderId);
    expect(await kit.db.order.count({ where: { customerId: `idem-${key}` } })).toBe(1);
  });

  it('When the same key is sent concurrently, then one order is created', async () => {
    const key = randomUUID();
    const body = buildOrderRequest();

    const responses = await Promise.all([1, 2, 3, 4].map(() => kit.placeOrder(body, key, `race-${key}`)));

    expect(new Set(responses.map((response) => response.body!.orderId)).size).toBe(1);
    expect(await kit.db.order.count({ where: { customerId: `race-${key}` } })).toBe(1);
  });

  it('When the same key is sent with the same body in another key order, then it is the same request', async () => {
    const key = randomUUID();
    const body = buildOrderRequest();
    const reordered = Object.fromEntries(Object.entries(body).reverse());

    const first = await kit.placeOrder(body, key, `order-${key}`);
    const second = await kit.placeOrder(reordered, key, `order-${key}`);

    expect(second.body!.orderId).toBe(first.body!.orderId);
  });

  it('When the same key is sent with another body, then the response is 409 and no second order is stored', async () => {
    const key = randomUUID();
    await kit.placeOrder(buildOrderRequest(), key, `conflict-${key}`);

    const response = await kit.placeOrder(buildOrderRequest({ items: [{ sku: 'SKU-CAP', quantity: 1 }] }), key, `conflict-${key}`);

    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await kit.db.order.count({ where: { customerId: `conflict-${key}` } })).toBe(1);
  });
});

describe('POST /orders: checkout process', () => {
  it('When an order is placed, then a checkout instance is started with the order variables and its key is stored', async () => {
    const orderId = await kit.createOrder({ items: [{ sku: 'SKU-CAP', quantity: 2 }] }, 'customer-variables');

    const processInstanceKey = await kit.processInstanceKeyOf(orderId, 'customer-variables');

    await assertThatProcessInstance(kit.engine, processInstanceKey)
      .isActive()
      .hasVariable('orderId', orderId)
      .hasVariable('customerId', 'customer-variables')
      .hasVariable('total', { amount: 3980, currency: 'EUR' })
      .hasVariable('items', [{ sku: 'SKU-CAP', quantity: 2 }])
      .hasVariable('cardToken', 'tok_4242abcd4242');
  });

  it('When the checkout instance is started, then the timeline shows the order placed and the checkout started', async () => {
    const orderId = await kit.createOrder();
    await kit.processInstanceKeyOf(orderId);

    expect((await kit.getOrder(orderId)).timeline.map((entry: { type: string }) => entry.type)).toEqual(['order.placed', 'checkout.started']);
  });

  it('When the first job runs before the engine has answered the start, then the timeline still shows the checkout started first', async () => {
    const jobRanAt = new Map<string, number>();
    const charge = kit.engine.mockJobWorker('payment.charge').withHandler(async (job, actions) => {
      jobRanAt.set(String(job.variables['orderId']), Date.now());
      await actions.complete();
    });
    try {
      const orderId = await kit.createOrder();
      await kit.processInstanceKeyOf(orderId);
      await expect.poll(() => jobRanAt.has(orderId), { timeout: 10_000 }).toBe(true);

      const started = (await kit.getOrder(orderId)).timeline.find((entry: { type: string }) => entry.type === 'checkout.started');
      expect(new Date(started.at).getTime()).toBeLessThanOrEqual(jobRanAt.get(orderId)!);
    } finally {
      await charge.close();
    }
  });
});
