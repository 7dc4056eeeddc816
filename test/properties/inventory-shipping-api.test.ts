/**
 * The Inventory and Shipping APIs under random and malformed requests: random SKUs and stock
 * bodies, random shipment queries, and requests without a valid ops token. Every refusal is a 4xx
 * problem+json, and a refused restock changes no stock.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InventoryTestKit, SEED_QUANTITY } from '../services/inventory/support/inventory-test-kit.js';
import { opsAuthorization } from '../support/ops-token.js';
import { ShippingTestKit } from '../services/shipping/shipping-test-kit.js';
import { badAuthorization, refusedTokens } from './support/bad-credentials.js';
import { garbageBody, pathSegment, queryString } from './support/garbage-bodies.js';
import { expectProblem, runs, send, type RawRequest } from './support/raw-http.js';
import { rowCounts } from './support/row-counts.js';

/** The express.json limit of both services. */
const LIMIT_BYTES = 4 * 1024;
const SKU = 'SKU-MUG';
/** The operator these APIs serve; every request below carries the ops token unless it is about credentials. */
const ops = opsAuthorization();

let inventory: InventoryTestKit;
let shipping: ShippingTestKit;

beforeAll(async () => {
  [inventory, shipping] = await Promise.all([InventoryTestKit.start(), ShippingTestKit.start()]);
});

afterAll(async () => {
  await Promise.all([inventory?.stop(), shipping?.stop()]);
});

const inventoryUrl = () => `http://127.0.0.1:${inventory.service.port}`;
const shippingUrl = () => `http://127.0.0.1:${shipping.service.port}`;
const isRestock = (body: unknown) => z.strictObject({ quantity: z.number().int().min(0).max(1_000_000_000) }).safeParse(body).success;

describe('PUT /stock/:sku', () => {
  it('When a restock body is malformed, then it is refused 400, 413 or 415 as problem+json and no stock changes', async () => {
    const before = await inventory.db.stockItem.findMany({ orderBy: { sku: 'asc' } });

    await fc.assert(
      fc.asyncProperty(garbageBody({ quantity: 5 }, { limitBytes: LIMIT_BYTES, allRequired: true, strict: true, isValid: isRestock }), async (garbage) => {
        const request: RawRequest = { method: 'PUT', path: `/stock/${SKU}`, headers: { ...ops, 'content-type': garbage.contentType }, body: garbage.body, description: garbage.description };
        expectProblem(await send(inventoryUrl(), request), request, { statuses: [400, 413, 415] });
      }),
      runs(150),
    );

    expect(await inventory.db.stockItem.findMany({ orderBy: { sku: 'asc' } })).toEqual(before);
    expect(await inventory.available(SKU)).toBe(SEED_QUANTITY);
  });

  it('When the SKU in the path is not a SKU, then reads and restocks are refused 4xx as problem+json and no row is written', async () => {
    const before = await rowCounts(inventory.db);
    const notSku = pathSegment().filter((segment) => !/^[A-Za-z0-9._-]{1,64}$/.test(decodeURIComponentOrSelf(segment)));

    await fc.assert(
      fc.asyncProperty(notSku, fc.constantFrom('GET', 'PUT'), async (sku, method) => {
        const request: RawRequest = { method, path: `/stock/${sku}`, headers: { ...ops, 'content-type': 'application/json' }, ...(method === 'PUT' ? { body: JSON.stringify({ quantity: 7 }) } : {}) };
        expectProblem(await send(inventoryUrl(), request), request, { statuses: [400, 404] });
      }),
      runs(100),
    );

    expect(await rowCounts(inventory.db)).toEqual(before);
  });

  it('When a well-formed SKU is not stocked, then reading it answers 404 as problem+json', async () => {
    const unknownSku = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/).filter((sku) => !sku.startsWith('SKU-') && sku !== '.' && sku !== '..');

    await fc.assert(
      fc.asyncProperty(unknownSku, async (sku) => {
        const request: RawRequest = { method: 'GET', path: `/stock/${sku}`, headers: ops };
        expectProblem(await send(inventoryUrl(), request), request, { statuses: [404] });
      }),
      runs(100),
    );
  });
});

describe('GET /shipments', () => {
  it('When the query is random, then it is a list for an order id and a 400 problem+json naming the field otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(queryString(), async (query) => {
        const request: RawRequest = { method: 'GET', path: `/shipments?${query}`, headers: ops };
        const response = await send(shippingUrl(), request);
        const orderId = new URLSearchParams(query).getAll('orderId');
        if (orderId.length === 1 && z.uuid().safeParse(orderId[0]).success) return void expect(response.json, response.text).toEqual({ items: [] });
        expectProblem(response, request, { statuses: [400] });
      }),
      runs(100),
    );
  });

  it('When a body of any kind is sent to the read-only API, then the answer is never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(garbageBody({ orderId: 'not-an-id' }, { limitBytes: LIMIT_BYTES }), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), async (garbage, method) => {
        const request: RawRequest = { method, path: '/shipments', headers: { ...ops, 'content-type': garbage.contentType }, ...(method === 'GET' ? {} : { body: garbage.body }), description: garbage.description };
        expectProblem(await send(shippingUrl(), request), request);
      }),
      runs(100),
    );
  });
});

describe('credentials', () => {
  it('When a read or a restock carries no valid ops token, then it is refused 401 as problem+json, and a read token restocks nothing (403)', async () => {
    const before = await inventory.db.stockItem.findMany({ orderBy: { sku: 'asc' } });
    const credentials = fc.oneof(
      badAuthorization(await refusedTokens()).map(({ header, why }) => ({ header, why, status: 401 })),
      fc.constant({ header: opsAuthorization('read').Authorization, why: 'the read token', status: 403 }),
    );
    const requests = fc.oneof(
      fc.constantFrom(SKU, 'SKU-NEW-BY-NOBODY').map((sku): RawRequest => ({ method: 'PUT', path: `/stock/${sku}`, body: JSON.stringify({ quantity: 3 }) })),
      fc.constant<RawRequest>({ method: 'GET', path: `/stock/${SKU}` }),
    );

    await fc.assert(
      fc.asyncProperty(requests, credentials, async (endpoint, authorization) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization.header === undefined ? {} : { authorization: authorization.header }) };
        const request: RawRequest = { ...endpoint, headers, description: authorization.why };
        const response = await send(inventoryUrl(), request);
        if (endpoint.method === 'GET' && authorization.status === 403) return void expect(response.status, response.text).toBe(200);
        expectProblem(response, request, { statuses: [authorization.status] });
      }),
      runs(100),
    );

    expect(await inventory.db.stockItem.findMany({ orderBy: { sku: 'asc' } })).toEqual(before);
  });

  it('When a shipment read carries no valid ops token, then it is refused 401 as problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(badAuthorization(await refusedTokens()), fc.uuid(), async (authorization, orderId) => {
        const request: RawRequest = { method: 'GET', path: `/shipments?orderId=${orderId}`, headers: authorization.header === undefined ? {} : { authorization: authorization.header }, description: authorization.why };
        expectProblem(await send(shippingUrl(), request), request, { statuses: [401] });
      }),
      runs(100),
    );
  });
});

function decodeURIComponentOrSelf(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
