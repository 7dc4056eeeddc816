import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsAuthorization } from '../../support/ops-token.js';
import { buildCard, buildChargeCommand, PaymentServiceTestKit } from './payment-service-test-kit.js';

let kit: PaymentServiceTestKit;
beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
});
afterAll(() => kit?.stop());

describe('POST /cards', () => {
  it('When a valid card is posted, then 201 returns a token, the last four digits and the expiry', async () => {
    const response = await kit.request('POST', '/cards', { body: buildCard({ number: '4242 4242 4242 4242', expiry: '09/31' }) });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ cardToken: expect.stringMatching(/^tok_[A-Za-z0-9]{8,64}$/), last4: '4242', expiry: '09/31', brand: 'visa' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('When a valid card is posted, then only its token, owner, last four, expiry, brand, behaviour and fingerprint are stored', async () => {
    const cardToken = await kit.tokenize({ number: '4000000000000002', expiry: '03/32' });

    const row = await kit.db.card.findUniqueOrThrow({ where: { token: cardToken } });
    expect(row).toMatchObject({ last4: '0002', expiryMonth: 3, expiryYear: 2032, brand: 'visa', behaviour: 'declined', fingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(Object.keys(row).sort()).toEqual(['behaviour', 'brand', 'createdAt', 'customerId', 'expiryMonth', 'expiryYear', 'fingerprint', 'last4', 'token', 'updatedAt']);
  });

  it('When the same number is tokenized twice, then the tokens differ and the fingerprints are equal', async () => {
    const [first, second] = [await kit.tokenize(), await kit.tokenize()];

    const rows = await kit.db.card.findMany({ where: { token: { in: [first, second] } } });
    expect(first).not.toBe(second);
    expect(rows[0]!.fingerprint).toBe(rows[1]!.fingerprint);
  });

  it('When the expiry has already passed, then the card is still tokenized (it is expired at charge time)', async () => {
    const response = await kit.request('POST', '/cards', { body: buildCard({ expiry: '01/20' }) });

    expect(response.status).toBe(201);
    expect(response.body!.expiry).toBe('01/20');
  });

  it.each([
    ['a number failing the Luhn check', { number: '4242424242424241' }, ['number']],
    ['a number of 12 digits', { number: '424242424242' }, ['number']],
    ['a number of 20 digits', { number: '42424242424242424242' }, ['number']],
    ['letters in the number', { number: '4242abcd42424242' }, ['number']],
    ['a number sent as a JSON number', { number: 4242424242424242 }, ['number']],
    ['month 13', { expiry: '13/30' }, ['expiry']],
    ['a four-digit year', { expiry: '12/2030' }, ['expiry']],
    ['a two-digit CVC', { cvc: '12' }, ['cvc']],
    ['a five-digit CVC', { cvc: '12345' }, ['cvc']],
    ['no fields at all', { number: undefined, expiry: undefined, cvc: undefined }, ['number', 'cvc', 'expiry']],
    ['an unknown field', { pin: '1234' }, ['pin']],
  ])('When the card has %s, then 400 problem+json names %j', async (_case, overrides, fields) => {
    const response = await kit.request('POST', '/cards', { body: buildCard(overrides) });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: 400, detail: expect.any(String) });
    expect((response.body!.errors as { field: string }[]).map((error) => error.field)).toEqual(fields);
  });

  it('When a rejected card is posted, then the problem does not echo the number', async () => {
    const response = await kit.request('POST', '/cards', { body: buildCard({ number: '4242424242424241', cvc: '9' }) });

    expect(JSON.stringify(response.body)).not.toContain('4242424242424241');
  });

  it('When the body is not JSON, then 400 names the body', async () => {
    const response = await kit.request('POST', '/cards', { rawBody: '{"number": ' });

    expect(response.status).toBe(400);
    expect(response.body!.errors).toEqual([{ field: 'body', message: 'Expected valid JSON' }]);
  });

  it('When the body is larger than the limit, then 413', async () => {
    const response = await kit.request('POST', '/cards', { body: buildCard({ padding: 'x'.repeat(20_000) }) });

    expect(response.status).toBe(413);
  });

  it('When a valid card is sent as text/plain, then 415 names Content-Type and no card is stored', async () => {
    const before = await kit.db.card.count();

    const response = await kit.request('POST', '/cards', { body: buildCard(), headers: { 'content-type': 'text/plain' } });

    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body!.errors).toEqual([{ field: 'Content-Type', message: 'Expected application/json' }]);
    expect(await kit.db.card.count()).toBe(before);
  });

  it.each([
    ['GET', '/cards', 'POST'],
    ['GET', '/cards/tok_4242abcd4242', 'PUT'],
    ['DELETE', '/cards/tok_4242abcd4242', 'PUT'],
  ])('When %s %s is sent, then 405 with Allow: %s', async (method, path, allow) => {
    const response = await kit.request(method, path);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('PUT /cards/:token', () => {
  it('When the expiry is updated, then 200 returns the card with the new expiry', async () => {
    const cardToken = await kit.tokenize({ expiry: '01/20' });

    const response = await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '11/33' } });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ cardToken, last4: '4242', expiry: '11/33' });
  });

  it('When the number is replaced, then last four, brand, behaviour and fingerprint follow the new number', async () => {
    const cardToken = await kit.tokenize({ number: '4000000000000002' });
    const before = await kit.db.card.findUniqueOrThrow({ where: { token: cardToken } });

    await kit.request('PUT', `/cards/${cardToken}`, { body: { number: '5555555555554444', cvc: '321' } });

    const after = await kit.db.card.findUniqueOrThrow({ where: { token: cardToken } });
    expect(after).toMatchObject({ last4: '4444', brand: 'mastercard', behaviour: 'succeeds' });
    expect(after.fingerprint).not.toBe(before.fingerprint);
  });

  it('When an order waits on the expired card and the card is updated, then payment.card-updated is published for that order', async () => {
    const cardToken = await kit.tokenize({ expiry: '01/20' });
    const charge = buildChargeCommand(cardToken);
    await kit.send(charge);
    await kit.eventOf(charge.payload.orderId, 'payment.card-expired');

    await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '12/34' } });

    const updated = await kit.eventOf(charge.payload.orderId, 'payment.card-updated');
    expect(updated.payload).toEqual({ orderId: charge.payload.orderId, cardToken, cardLast4: '4242' });
  });

  it('When two orders wait on the card, then one payment.card-updated is committed per order, and a second update commits none', async () => {
    const cardToken = await kit.tokenize({ expiry: '01/20' });
    const charges = [buildChargeCommand(cardToken), buildChargeCommand(cardToken)];
    await kit.send(...charges);

    await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '12/34' } });
    await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '11/34' } });

    for (const charge of charges) {
      await kit.eventOf(charge.payload.orderId, 'payment.card-updated');
      expect(await kit.outboxTypesOf(charge.payload.orderId)).toEqual(['payment.card-expired', 'payment.card-updated']);
    }
  });

  it('When no order waits on the card, then no event is committed', async () => {
    const before = await kit.db.outboxMessage.count();
    const cardToken = await kit.tokenize();

    await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '10/33' } });

    expect(await kit.db.outboxMessage.count()).toBe(before);
  });

  it.each([
    ['nothing to change', {}, ['body']],
    ['a new number without its CVC', { number: '5555555555554444' }, ['cvc']],
    ['a malformed expiry', { expiry: '1/30' }, ['expiry']],
  ])('When the update has %s, then 400 names %j', async (_case, body, fields) => {
    const cardToken = await kit.tokenize();

    const response = await kit.request('PUT', `/cards/${cardToken}`, { body });

    expect(response.status).toBe(400);
    expect((response.body!.errors as { field: string }[]).map((error) => error.field)).toEqual(fields);
  });

  it('When no card has the token, then 404 problem+json', async () => {
    const response = await kit.request('PUT', '/cards/tok_doesnotexist0000', { body: { expiry: '12/34' } });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('GET /payments', () => {
  it('When the order has no payments, then the list is empty', async () => {
    const response = await kit.request('GET', `/payments?orderId=${randomUUID()}`, { as: null, headers: opsAuthorization() });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
  });

  it('When orderId is missing or not a UUID, then 400 names orderId', async () => {
    for (const query of ['', '?orderId=42']) {
      const response = await kit.request('GET', `/payments${query}`, { as: null, headers: opsAuthorization() });
      expect(response.status).toBe(400);
      expect((response.body!.errors as { field: string }[]).map((error) => error.field)).toEqual(['orderId']);
    }
  });

  it.each([
    ['no Authorization header', { as: null }, 401],
    ['a wrong token', { as: null, headers: { Authorization: 'Bearer not-the-ops-token' } }, 401],
    ["the order's customer's JWT", {}, 401],
    ['the read token', { as: null, headers: opsAuthorization('read') }, 200],
    ['the ops token', { as: null, headers: opsAuthorization('ops') }, 200],
  ] as [string, { as?: null; headers?: Record<string, string> }, number][])('When a request carries %s, then it answers %i', async (_case, credentials, status) => {
    const cardToken = await kit.tokenize();
    const charge = buildChargeCommand(cardToken);
    await kit.send(charge);

    const response = await kit.request('GET', `/payments?orderId=${charge.payload.orderId}`, credentials);

    expect(response.status).toBe(status);
    if (status === 200) expect(response.body!.items).toHaveLength(1);
  });

  it('When no token is sent, then the 401 is problem+json with a challenge, naming the Authorization header', async () => {
    const response = await kit.request('GET', `/payments?orderId=${randomUUID()}`, { as: null });

    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="orderflow-ops"');
    expect(response.body!.errors).toEqual([{ field: 'Authorization', message: 'Expected Bearer <ORDERFLOW_OPS_TOKEN> or Bearer <ORDERFLOW_OPS_READ_TOKEN>' }]);
  });
});
