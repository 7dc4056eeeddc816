import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCard, buildChargeCommand, PaymentServiceTestKit } from './payment-service-test-kit.js';

let kit: PaymentServiceTestKit;
beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
});
afterAll(() => kit?.stop());

const checkoutOrigin = 'http://localhost:3000';

describe('Card endpoints: authentication', () => {
  it.each([
    ['POST', '/cards'],
    ['PUT', '/cards/tok_doesnotexist0000'],
  ])('When %s %s is called without a token, then 401 problem+json with WWW-Authenticate: Bearer', async (method, path) => {
    const response = await kit.request(method, path, { body: buildCard(), as: null });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('When a card is posted without a token, then no card is stored', async () => {
    const before = await kit.db.card.count();

    await kit.request('POST', '/cards', { body: buildCard(), as: null });

    expect(await kit.db.card.count()).toBe(before);
  });

  it('When a card is tokenized, then it is stored for the token subject', async () => {
    const cardToken = await kit.tokenize({}, 'alice');

    expect((await kit.db.card.findUniqueOrThrow({ where: { token: cardToken } })).customerId).toBe('alice');
  });
});

describe('Card endpoints: a customer updates their own cards only', () => {
  it("When a customer updates another customer's card, then the answer is the same 404 as for an unknown token, and the card is unchanged", async () => {
    const cardToken = await kit.tokenize({ expiry: '01/20' }, 'alice');

    const other = await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '12/34' }, as: 'mallory' });
    const unknown = await kit.request('PUT', '/cards/tok_doesnotexist0000', { body: { expiry: '12/34' }, as: 'mallory' });

    expect(other.status).toBe(404);
    expect(other.body).toEqual(unknown.body);
    expect(await kit.db.card.findUniqueOrThrow({ where: { token: cardToken } })).toMatchObject({ expiryMonth: 1, expiryYear: 2020 });
  });

  it('When the owner updates the card, then 200', async () => {
    const cardToken = await kit.tokenize({ expiry: '01/20' }, 'alice');

    const response = await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '12/34' }, as: 'alice' });

    expect(response.status).toBe(200);
  });
});

describe('payment.charge: the card must be the customer’s', () => {
  it("When an order's customer is not the card's owner, then the charge is declined as an unknown card and nothing is charged", async () => {
    const cardToken = await kit.tokenize({}, 'alice');
    const charge = buildChargeCommand(cardToken, { customerId: 'mallory' });

    await kit.send(charge);

    const declined = await kit.eventOf(charge.payload.orderId, 'payment.declined');
    expect(declined.payload.reason).toMatch(/^card_not_found/);
    expect(await kit.payments(charge.payload.orderId)).toEqual([]);
  });

  it('When a card from before cards had owners is charged, then the charge succeeds (orders placed earlier keep working)', async () => {
    const cardToken = await kit.tokenize();
    await kit.db.card.update({ where: { token: cardToken }, data: { customerId: null } });
    const charge = buildChargeCommand(cardToken, { customerId: 'anyone' });

    await kit.send(charge);

    expect((await kit.eventOf(charge.payload.orderId, 'payment.charged')).payload.cardLast4).toBe('4242');
  });
});

describe('Card endpoints: CORS for the checkout page', () => {
  /** What a browser lets the page read besides the CORS-safelisted headers. */
  const exposedHeadersOf = (response: { headers: Headers }) => (response.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);

  const preflight = (origin: string) =>
    kit.request('OPTIONS', '/cards', { as: null, headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } });

  it("When the checkout page's origin sends a preflight, then 204 allows POST and PUT with Authorization", async () => {
    const response = await preflight(checkoutOrigin);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(checkoutOrigin);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('When another origin sends a preflight, then no CORS header allows it', async () => {
    const response = await preflight('https://evil.example');

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("When the checkout page's origin is refused for its token, then the 401 and its WWW-Authenticate are readable by the page", async () => {
    const response = await kit.request('POST', '/cards', { body: buildCard(), as: null, headers: { Origin: checkoutOrigin } });

    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(checkoutOrigin);
    expect(exposedHeadersOf(response)).toContain('www-authenticate');
  });

  it("When the checkout page's origin tokenizes a card, then the page may read the 201's Location", async () => {
    const response = await kit.request('POST', '/cards', { body: buildCard(), as: 'alice', headers: { Origin: checkoutOrigin } });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/cards/${response.body!.cardToken}`);
    expect(exposedHeadersOf(response)).toContain('location');
  });
});
