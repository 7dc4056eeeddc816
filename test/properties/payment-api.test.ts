/**
 * The Payment API under random and malformed requests: card bodies of every wrong shape, random
 * card tokens and queries, and requests without a valid customer or ops token. Every refusal is a 4xx
 * problem+json; no card is created or changed by a refused request, and valid cards tokenized in
 * between are stored.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readCardUpdate, readNewCard } from '../../services/payment/domain/card-details.js';
import { authorizationFor } from '../support/customer-token.js';
import { opsAuthorization } from '../support/ops-token.js';
import { PaymentServiceTestKit, buildCard } from '../services/payment/payment-service-test-kit.js';
import { badAuthorization, refusedTokens } from './support/bad-credentials.js';
import { garbageBody, pathSegment, queryString } from './support/garbage-bodies.js';
import { expectProblem, runs, send, type RawRequest } from './support/raw-http.js';
import { rowCounts } from './support/row-counts.js';

/** The Payment service's express.json limit. */
const LIMIT_BYTES = 8 * 1024;
const CUSTOMER = 'customer-props';
/** The service's own notion of an order id. */
const isOrderId = (value: string) => z.uuid().safeParse(value).success;

let kit: PaymentServiceTestKit;
let auth: Record<string, string>;
let tokens: Awaited<ReturnType<typeof refusedTokens>>;
let cardToken: string;

beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
  auth = await authorizationFor(CUSTOMER);
  tokens = await refusedTokens();
  cardToken = await kit.tokenize({}, CUSTOMER);
});

afterAll(async () => {
  await kit?.stop();
});

const baseUrl = () => `http://127.0.0.1:${kit.service.port}`;
const validCard = buildCard() as never;

/** True when the domain would accept the body: random JSON that happens to be a card is not garbage. */
function acceptedBy(read: (input: Record<string, string>, key: string) => unknown) {
  return (body: unknown) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
    if (!Object.entries(body).every(([key, value]) => ['number', 'expiry', 'cvc'].includes(key) && typeof value === 'string')) return false;
    try {
      read(body as Record<string, string>, 'fingerprint-key');
      return true;
    } catch {
      return false;
    }
  };
}

const malformedNewCard = garbageBody(validCard, { limitBytes: LIMIT_BYTES, allRequired: true, strict: true, isValid: acceptedBy(readNewCard) });
const malformedCardUpdate = garbageBody(validCard, { limitBytes: LIMIT_BYTES, strict: true, isValid: acceptedBy(readCardUpdate) });

function withBody(method: string, path: string, garbage: { body: string | Uint8Array; contentType: string; description: string }): RawRequest {
  return { method, path, headers: { ...auth, 'content-type': garbage.contentType }, body: garbage.body, description: garbage.description };
}

describe('POST /cards', () => {
  it('When malformed and valid cards are interleaved, then every malformed one is refused 400, 413 or 415 as problem+json and only the valid ones are stored', async () => {
    const before = await rowCounts(kit.db);
    let tokenized = 0;

    await fc.assert(
      fc.asyncProperty(fc.option(malformedNewCard, { freq: 9 }), async (garbage) => {
        if (garbage === null) {
          const response = await send(baseUrl(), { method: 'POST', path: '/cards', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(validCard) });
          expect(response.status, response.text).toBe(201);
          tokenized++;
          return;
        }
        const request = withBody('POST', '/cards', garbage);
        expectProblem(await send(baseUrl(), request), request, { statuses: [400, 413, 415] });
      }),
      runs(150),
    );

    expect(await rowCounts(kit.db)).toEqual({ ...before, cards: before.cards! + tokenized });
  });
});

describe('PUT /cards/:token', () => {
  it('When a customer sends a malformed update of their card, then it is refused 400, 413 or 415 as problem+json and the card is unchanged', async () => {
    const before = await kit.db.card.findUniqueOrThrow({ where: { token: cardToken } });

    await fc.assert(
      fc.asyncProperty(malformedCardUpdate, async (garbage) => {
        const request = withBody('PUT', `/cards/${cardToken}`, garbage);
        expectProblem(await send(baseUrl(), request), request, { statuses: [400, 413, 415] });
      }),
      runs(100),
    );

    expect(await kit.db.card.findUniqueOrThrow({ where: { token: cardToken } })).toEqual(before);
  });

  it('When the card token in the path is random, then it is refused 400 or 404 as problem+json and no card changes', async () => {
    const before = await rowCounts(kit.db);
    const cards = await kit.db.card.findMany({ orderBy: { token: 'asc' } });

    await fc.assert(
      fc.asyncProperty(pathSegment(), async (token) => {
        const request: RawRequest = { method: 'PUT', path: `/cards/${token}`, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ expiry: '12/35' }) };
        expectProblem(await send(baseUrl(), request), request, { statuses: [400, 404] });
      }),
      runs(100),
    );

    expect(await rowCounts(kit.db)).toEqual(before);
    expect(await kit.db.card.findMany({ orderBy: { token: 'asc' } })).toEqual(cards);
  });
});

describe('requests without a valid customer token', () => {
  it('When a card request carries no valid bearer token, then it is refused 401 and nothing is stored', async () => {
    const before = await rowCounts(kit.db);
    const requests = fc.oneof(
      fc.constant({ method: 'POST', path: '/cards' }),
      fc.constant({ method: 'PUT', path: '/cards/tok_abcdefgh12345678' }),
      pathSegment().map((token) => ({ method: 'PUT', path: `/cards/${token}` })),
    );

    await fc.assert(
      fc.asyncProperty(requests, badAuthorization(tokens), async (endpoint, authorization) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization.header === undefined ? {} : { authorization: authorization.header }) };
        const request: RawRequest = { ...endpoint, headers, body: JSON.stringify(validCard), description: authorization.why };
        const response = await send(baseUrl(), request);
        expectProblem(response, request, { statuses: [401] });
        expect(response.text, 'Expected a refusal never to echo the card number').not.toContain(buildCard().number as string);
      }),
      runs(100),
    );

    expect(await rowCounts(kit.db)).toEqual(before);
  });
});

describe('GET /payments', () => {
  it('When the query is random, then it is a list for an order id and a 400 naming orderId otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(queryString(), async (query) => {
        const request: RawRequest = { method: 'GET', path: `/payments?${query}`, headers: opsAuthorization() };
        const response = await send(baseUrl(), request);
        const orderId = new URLSearchParams(query).getAll('orderId');
        if (orderId.length === 1 && isOrderId(orderId[0]!)) return void expect(response.status, response.text).toBe(200);
        expectProblem(response, request, { statuses: [400] });
      }),
      runs(100),
    );
  });

  it("When the list is asked for without a valid ops token, a customer's own token included, then it is refused 401 as problem+json", async () => {
    const credentials = fc.oneof(badAuthorization(tokens), fc.constant({ header: auth.Authorization, why: "a valid customer's token" }));

    await fc.assert(
      fc.asyncProperty(credentials, fc.uuid(), async (authorization, orderId) => {
        const request: RawRequest = { method: 'GET', path: `/payments?orderId=${orderId}`, headers: authorization.header === undefined ? {} : { authorization: authorization.header }, description: authorization.why };
        expectProblem(await send(baseUrl(), request), request, { statuses: [401] });
      }),
      runs(100),
    );
  });
});
