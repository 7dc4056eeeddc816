import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET } from '../../../lib/http/customer-auth.js';
import { customerToken } from '../../support/customer-token.js';
import { buildOrderRequest, OrderServiceTestKit } from './order-service-test-kit.js';

let kit: OrderServiceTestKit;

beforeAll(async () => {
  kit = await OrderServiceTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Tokens the Order API must refuse, each for one reason. */
const refusedTokens: [string, () => Promise<string>][] = [
  ['a token signed with another secret', () => customerToken('customer-1', { config: { secret: 'another-secret-of-at-least-32-characters!', usingDevSecret: false } })],
  ['an expired token', () => customerToken('customer-1', { ttlSeconds: -60 })],
  ['an unsigned token (alg none)', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'customer-1', exp: now() + 600 })}.`],
  ['a token whose signature was cut off', async () => (await customerToken('customer-1')).split('.').slice(0, 2).join('.') + '.'],
  ['a token that is not a JWT', async () => 'not-a-jwt'],
];

const routes: [string, string][] = [
  ['POST', '/orders'],
  ['GET', '/orders'],
  ['GET', `/orders/${randomUUID()}`],
  ['POST', `/orders/${randomUUID()}/cancel`],
];

describe('Order API: authentication', () => {
  it.each(routes)('When %s %s is called without a token, then the response is 401 problem+json with WWW-Authenticate: Bearer', async (method, path) => {
    const response = await kit.request(method, path, { ...(method === 'POST' ? { body: buildOrderRequest() } : {}), headers: { 'Idempotency-Key': randomUUID() }, as: null });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body!.errors).toEqual([expect.objectContaining({ field: 'Authorization' })]);
  });

  it.each(refusedTokens)('When an order is placed with %s, then the response is 401 with an invalid_token challenge', async (_case, token) => {
    const response = await kit.request('POST', '/orders', { body: buildOrderRequest(), headers: { 'Idempotency-Key': randomUUID(), Authorization: `Bearer ${await token()}` }, as: null });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('When a token is signed with HS512 under the right secret, then it is refused: only HS256 is accepted', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('customer-1').setExpirationTime('1h').sign(new TextEncoder().encode(DEV_JWT_SECRET));

    const response = await kit.request('GET', '/orders', { headers: { Authorization: `Bearer ${token}` }, as: null });

    expect(response.status).toBe(401);
    expect(response.body!.detail).toContain('HS256');
  });

  it('When a request is refused for its token, then no order is stored', async () => {
    const before = await kit.db.order.count();

    await kit.request('POST', '/orders', { body: buildOrderRequest(), headers: { 'Idempotency-Key': randomUUID(), Authorization: `Bearer ${await customerToken('customer-1', { ttlSeconds: -60 })}` }, as: null });

    expect(await kit.db.order.count()).toBe(before);
  });
});

describe('Order API: a customer sees and acts on their own orders only', () => {
  const alice = `alice-${randomUUID()}`;
  const mallory = `mallory-${randomUUID()}`;

  it('When an order is placed, then it belongs to the token subject', async () => {
    const orderId = await kit.createOrder({}, alice);

    expect((await kit.getOrder(orderId, alice)).customerId).toBe(alice);
  });

  it("When a customer reads another customer's order, then the answer is the same 404 as for an order that does not exist", async () => {
    const orderId = await kit.createOrder({}, alice);
    const unknownId = randomUUID();

    const other = await kit.request('GET', `/orders/${orderId}`, { as: mallory });
    const unknown = await kit.request('GET', `/orders/${unknownId}`, { as: mallory });

    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
    expect(JSON.stringify(other.body).replace(orderId, '<id>')).toBe(JSON.stringify(unknown.body).replace(unknownId, '<id>'));
  });

  it("When a customer cancels another customer's order, then the answer is the same 404 as for an order that does not exist, and nothing is requested", async () => {
    const orderId = await kit.createOrder({}, alice);
    const unknownId = randomUUID();

    const other = await kit.request('POST', `/orders/${orderId}/cancel`, { as: mallory });
    const unknown = await kit.request('POST', `/orders/${unknownId}/cancel`, { as: mallory });

    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body).replace(orderId, '<id>')).toBe(JSON.stringify(unknown.body).replace(unknownId, '<id>'));
    expect((await kit.getOrder(orderId, alice)).timeline.map((entry: { type: string }) => entry.type)).not.toContain('order.cancel-requested');
  });

  it('When a customer lists orders, then only their own are listed', async () => {
    const bob = `bob-${randomUUID()}`;
    const carol = `carol-${randomUUID()}`;
    const bobs = [await kit.createOrder({}, bob), await kit.createOrder({}, bob)];
    await kit.createOrder({}, carol);

    const response = await kit.request('GET', '/orders', { as: bob });

    expect(response.body!.total).toBe(2);
    expect(response.body!.items.map((item: { orderId: string }) => item.orderId).sort()).toEqual([...bobs].sort());
    expect(response.body!.items.every((item: { customerId: string }) => item.customerId === bob)).toBe(true);
  });

  it('When an Idempotency-Key of another customer is sent with the same body, then the other order is not returned', async () => {
    const key = randomUUID();
    const first = await kit.placeOrder(buildOrderRequest(), key, alice);

    const second = await kit.placeOrder(buildOrderRequest(), key, mallory);

    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect(JSON.stringify(second.body)).not.toContain(first.body!.orderId as string);
  });

  it('When the body names a customerId, then the response is 400 naming customerId and no order is stored for either customer', async () => {
    const response = await kit.placeOrder(buildOrderRequest({ customerId: mallory }), randomUUID(), `eve-${randomUUID()}`);

    expect(response.status).toBe(400);
    expect(response.body!.errors).toContainEqual(expect.objectContaining({ field: 'customerId' }));
    expect(await kit.db.order.count({ where: { customerId: mallory } })).toBe(0);
  });
});

describe('POST /orders: rate limit', () => {
  const windowMs = 60_000;
  let limitedUrl: string;

  beforeAll(async () => {
    const limited = await kit.startInstance({ placeOrderRateLimit: { limit: 2, windowMs } });
    limitedUrl = `http://127.0.0.1:${limited.port}`;
  }, 60_000);

  /** An invalid order (no items): it is counted, but creates nothing. */
  const post = async (headers: Record<string, string>) =>
    fetch(`${limitedUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': randomUUID(), ...headers }, body: '{}' });

  it('When a customer exceeds the limit, then the response is 429 problem+json with Retry-After', async () => {
    const authorization = { Authorization: `Bearer ${await customerToken(`busy-${randomUUID()}`)}` };

    const statuses = [(await post(authorization)).status, (await post(authorization)).status];
    const limited = await post(authorization);

    expect(statuses).toEqual([400, 400]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(windowMs / 1000);
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too many requests' });
  });

  it('When one customer is limited, then another customer is not', async () => {
    const busy = { Authorization: `Bearer ${await customerToken(`busy-${randomUUID()}`)}` };
    for (let attempt = 0; attempt < 3; attempt++) await post(busy);

    const other = await post({ Authorization: `Bearer ${await customerToken(`calm-${randomUUID()}`)}` });

    expect(other.status).toBe(400);
  });

  it('When requests without a valid token exceed the limit, then they are limited per IP', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await post({})).status);

    expect(statuses).toEqual([401, 401, 429]);
  });
});

describe('POST /dev/login', () => {
  it('When a customer signs in with the dev login, then the token it returns is accepted by the Order API as that customer', async () => {
    const customerId = `dev-${randomUUID()}`;
    const login = await kit.request('POST', '/dev/login', { body: { customerId }, as: null });

    const orders = await kit.request('GET', '/orders', { headers: { Authorization: `Bearer ${login.body!.token}` }, as: null });

    expect(login.status).toBe(200);
    expect(orders).toMatchObject({ status: 200, body: { total: 0 } });
  });

  it('When the dev login is off, then the route does not exist', async () => {
    const instance = await kit.startInstance({ devLogin: false });

    const response = await fetch(`http://127.0.0.1:${instance.port}/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: 'ada' }) });

    expect(response.status).toBe(404);
  });
});
