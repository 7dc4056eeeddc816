/**
 * The Order API under random and malformed requests: every refusal is a 4xx problem+json, never a
 * 5xx or a dropped connection, and a refused request leaves no row behind while valid orders sent in
 * between are still placed.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrderSchema } from '../../services/order/entry-points/http/place-order-schema.js';
import { authorizationFor } from '../support/customer-token.js';
import { OrderServiceTestKit, buildOrderRequest } from '../services/order/order-service-test-kit.js';
import { badAuthorization, refusedTokens } from './support/bad-credentials.js';
import { garbageBody, headerValue, pathSegment, queryString } from './support/garbage-bodies.js';
import { expectProblem, runs, send, type RawRequest } from './support/raw-http.js';
import { rowCounts } from './support/row-counts.js';

/** The Order service's express.json limit. */
const LIMIT_BYTES = 64 * 1024;
const CUSTOMER = 'customer-props';

let kit: OrderServiceTestKit;
let auth: Record<string, string>;
let tokens: Awaited<ReturnType<typeof refusedTokens>>;

beforeAll(async () => {
  kit = await OrderServiceTestKit.start();
  auth = await authorizationFor(CUSTOMER);
  tokens = await refusedTokens();
});

afterAll(async () => {
  await kit?.stop();
});

const validOrder = buildOrderRequest() as never;
const malformedOrder = garbageBody(validOrder, { limitBytes: LIMIT_BYTES, allRequired: true, strict: true, isValid: (body) => placeOrderSchema.safeParse(body).success });
/** Mostly well-formed keys, so the body is what gets refused; sometimes a malformed one as well. */
const idempotencyKey = fc.oneof({ arbitrary: fc.uuid(), weight: 4 }, { arbitrary: headerValue({ maxLength: 300 }), weight: 1 });

function malformedPlaceOrder(garbage: { body: string | Uint8Array; contentType: string; description: string }, key: string): RawRequest {
  return { method: 'POST', path: '/orders', headers: { ...auth, 'content-type': garbage.contentType, 'idempotency-key': key }, body: garbage.body, description: garbage.description };
}

async function placeValidOrder(): Promise<string> {
  const request: RawRequest = { method: 'POST', path: '/orders', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(validOrder) };
  const response = await send(kit.baseUrl, request);
  expect(response.status, `Expected a valid order to be placed, but got ${response.status} ${response.text}`).toBe(201);
  return response.json!.orderId as string;
}

describe('POST /orders with a malformed body', () => {
  it('When an authenticated customer sends a malformed order, then it is refused 400, 413 or 415 as problem+json and no row is written', async () => {
    const before = await rowCounts(kit.db);

    await fc.assert(
      fc.asyncProperty(malformedOrder, idempotencyKey, async (garbage, key) => {
        const request = malformedPlaceOrder(garbage, key);
        expectProblem(await send(kit.baseUrl, request), request, { statuses: [400, 413, 415] });
      }),
      runs(150),
    );

    expect(await rowCounts(kit.db)).toEqual(before);
  });

  it('When malformed and valid orders are interleaved, then every valid one is placed and only they are stored', async () => {
    const before = await rowCounts(kit.db);
    const placed: string[] = [];

    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.tuple(malformedOrder, idempotencyKey), { freq: 3 }), { minLength: 1, maxLength: 4 }), async (requests) => {
        for (const garbage of requests) {
          if (garbage === null) {
            placed.push(await placeValidOrder());
            continue;
          }
          const request = malformedPlaceOrder(...garbage);
          expectProblem(await send(kit.baseUrl, request), request, { statuses: [400, 413, 415] });
        }
      }),
      runs(15),
    );

    const after = await rowCounts(kit.db);
    const stored = await kit.db.order.findMany({ where: { customerId: CUSTOMER }, select: { id: true } });
    expect(stored.map((order) => order.id).sort()).toEqual([...placed].sort());
    expect(after.orders! - before.orders!).toBe(placed.length);
    expect(after.idempotency_keys! - before.idempotency_keys!).toBe(placed.length);
    expect(after.order_items! - before.order_items!).toBe(placed.length * (validOrder as { items: unknown[] }).items.length);
  });
});

describe('requests without a valid customer token', () => {
  const orderId = pathSegment();
  const endpoints = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).filter((body) => typeof body === 'object' && body !== null).map((body) => ({ method: 'POST', path: '/orders', body: JSON.stringify(body) })),
    queryString().map((query) => ({ method: 'GET', path: `/orders?${query}`, body: undefined })),
    orderId.map((id) => ({ method: 'GET', path: `/orders/${id}`, body: undefined })),
    orderId.map((id) => ({ method: 'POST', path: `/orders/${id}/cancel`, body: undefined })),
  );

  it('When a request carries no valid bearer token, then it is refused 401 with a Bearer challenge', async () => {
    await fc.assert(
      fc.asyncProperty(endpoints, badAuthorization(tokens), idempotencyKey, async (endpoint, authorization, key) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': key, ...(authorization.header === undefined ? {} : { authorization: authorization.header }) };
        const request: RawRequest = { ...endpoint, headers, description: authorization.why };
        const response = await send(kit.baseUrl, request);
        expectProblem(response, request, { statuses: [401] });
      }),
      runs(100),
    );
  });
});

describe('random paths and query strings', () => {
  it('When an order id or a list query is random, then the answer is a list or a 4xx problem+json, and nothing is cancelled', async () => {
    const before = await rowCounts(kit.db);
    const requests = fc.oneof(
      queryString().map((query): RawRequest => ({ method: 'GET', path: `/orders?${query}` })),
      pathSegment().map((id): RawRequest => ({ method: 'GET', path: `/orders/${id}` })),
      pathSegment().map((id): RawRequest => ({ method: 'POST', path: `/orders/${id}/cancel` })),
      fc.tuple(pathSegment(), pathSegment()).map(([a, b]): RawRequest => ({ method: 'GET', path: `/${a}/${b}` })),
    );

    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        request.headers = { ...auth, 'content-type': 'application/json' };
        const response = await send(kit.baseUrl, request);
        if (response.status === 200 && request.path.startsWith('/orders?')) return void expect(response.json, request.path).toMatchObject({ items: expect.any(Array) });
        expectProblem(response, request);
      }),
      runs(100),
    );

    expect(await rowCounts(kit.db)).toEqual(before);
  });
});
