import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSkus } from '../../../services/inventory/domain/seed-stock.js';
import { authorizationFor } from '../../support/customer-token.js';
import { opsAuthorization } from '../../support/ops-token.js';
import { InventoryTestKit, SEED_QUANTITY } from './support/inventory-test-kit.js';

let kit: InventoryTestKit;

beforeAll(async () => {
  kit = await InventoryTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

describe('GET /stock/:sku', () => {
  it.each(seedSkus)('When the service has started, then %s is seeded with stock', async (sku) => {
    const response = await kit.request('GET', `/stock/${sku}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ sku, available: SEED_QUANTITY });
  });

  it('When the SKU is not stocked, then the response is a 404 problem', async () => {
    const response = await kit.request('GET', '/stock/SKU-UNKNOWN');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 404, title: 'SKU not found', detail: expect.stringContaining('SKU-UNKNOWN') });
  });

  it('When a response is sent, then it carries security headers', async () => {
    const response = await kit.request('GET', '/stock/SKU-MUG');

    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('PUT /stock/:sku', () => {
  it('When ops set a quantity, then it is returned and read back', async () => {
    const response = await kit.request('PUT', '/stock/SKU-CAP', { body: { quantity: 75 } });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ sku: 'SKU-CAP', available: 75 });
    expect((await kit.request('GET', '/stock/SKU-CAP')).body).toEqual({ sku: 'SKU-CAP', available: 75 });
  });

  it('When ops stock a new SKU, then it can be read', async () => {
    await kit.request('PUT', '/stock/SKU-NEW-1', { body: { quantity: 3 } });

    expect((await kit.request('GET', '/stock/SKU-NEW-1')).body).toEqual({ sku: 'SKU-NEW-1', available: 3 });
  });

  it.each([
    ['negative', { quantity: -1 }, 'quantity'],
    ['not an integer', { quantity: 1.5 }, 'quantity'],
    ['a string', { quantity: '5' }, 'quantity'],
    ['missing', {}, 'quantity'],
    ['sent with an unknown field', { quantity: 1, available: 5 }, 'available'],
  ])('When the quantity is %s, then the response is a 400 naming the field and the stock is unchanged', async (_case, body, field) => {
    await kit.setStock('SKU-POSTER', 9);

    const response = await kit.request('PUT', '/stock/SKU-POSTER', { body });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body!.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await kit.available('SKU-POSTER')).toBe(9);
  });

  it('When the body is not JSON, then the response is a 400 problem', async () => {
    const response = await kit.request('PUT', '/stock/SKU-POSTER', { rawBody: '{"quantity": ' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 400, errors: [{ field: 'body' }] });
  });

  it('When the SKU has characters outside the allowed set, then the response is a 400 naming sku', async () => {
    const response = await kit.request('PUT', `/stock/${encodeURIComponent('SKU MUG')}`, { body: { quantity: 1 } });

    expect(response.status).toBe(400);
    expect(response.body!.errors).toEqual([expect.objectContaining({ field: 'sku' })]);
  });

  it('When the body is larger than the limit, then the response is a 413 problem', async () => {
    const response = await kit.request('PUT', '/stock/SKU-POSTER', { body: { quantity: 1, padding: 'x'.repeat(10_000) } });

    expect(response.status).toBe(413);
  });

  it('When a SKU is deleted, then the response is a 405 problem with Allow: GET, HEAD, PUT and the stock is kept', async () => {
    await kit.setStock('SKU-POSTER', 9);

    const response = await kit.request('DELETE', '/stock/SKU-POSTER');

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, PUT');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await kit.available('SKU-POSTER')).toBe(9);
  });
});

describe('operator access to /stock/:sku', () => {
  const credentials: [string, () => Promise<string | null>, number, number][] = [
    ['no Authorization header', async () => null, 401, 401],
    ['a wrong token', async () => 'Bearer not-the-ops-token', 401, 401],
    ["a customer's JWT", async () => (await authorizationFor('ada')).Authorization!, 401, 401],
    ['the read token', async () => opsAuthorization('read').Authorization!, 200, 403],
    ['the ops token', async () => opsAuthorization('ops').Authorization!, 200, 200],
  ];

  it.each(credentials)('When a request carries %s, then GET answers %i and PUT %i', async (_case, authorization, read, write) => {
    await kit.setStock('SKU-STICKERS', 20);

    const got = await kit.request('GET', '/stock/SKU-STICKERS', { authorization: await authorization() });
    const put = await kit.request('PUT', '/stock/SKU-STICKERS', { body: { quantity: 21 }, authorization: await authorization() });

    expect([got.status, put.status]).toEqual([read, write]);
    expect(await kit.available('SKU-STICKERS')).toBe(write === 200 ? 21 : 20);
  });

  it('When no token is sent, then the 401 is problem+json with a challenge, naming the Authorization header', async () => {
    const response = await kit.request('PUT', '/stock/SKU-STICKERS', { body: { quantity: 1 }, authorization: null });

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="orderflow-ops"');
    expect(response.body!.errors).toEqual([{ field: 'Authorization', message: 'Expected Bearer <ORDERFLOW_OPS_TOKEN>' }]);
  });

  it('When the read token restocks a SKU Inventory does not stock, then the answer is 403 and the SKU is not created', async () => {
    const response = await kit.request('PUT', '/stock/SKU-BY-READER', { body: { quantity: 5 }, authorization: opsAuthorization('read').Authorization! });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(await kit.db.stockItem.findUnique({ where: { sku: 'SKU-BY-READER' } })).toBeNull();
  });
});
