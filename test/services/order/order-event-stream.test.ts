import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customerToken } from '../../support/customer-token.js';
import { OrderServiceTestKit } from './order-service-test-kit.js';
import { SseClient } from './sse-client.js';

let kit: OrderServiceTestKit;
const openClients: SseClient[] = [];

beforeAll(async () => {
  kit = await OrderServiceTestKit.start();
}, 120_000);

afterEach(() => openClients.splice(0).forEach((client) => client.close()));
afterAll(() => kit?.stop(), 60_000);

const charged = (orderId: string) => kit.event('payment.charged', { orderId, paymentId: randomUUID(), amount: { amount: 6200, currency: 'EUR' }, cardLast4: '4242' });
const cardExpired = (orderId: string) => kit.event('payment.card-expired', { orderId, cardToken: 'tok_4242abcd4242', cardLast4: '4242' });

/** Opens the order's stream with a bearer token for `customerId`; fails unless it is 200. */
async function openStream(orderId: string, customerId = 'customer-1', baseUrl = kit.baseUrl): Promise<SseClient> {
  const opened = await SseClient.open(`${baseUrl}/orders/${orderId}/events`, { Authorization: `Bearer ${await customerToken(customerId)}` });
  expect(opened.status).toBe(200);
  openClients.push(opened.client!);
  return opened.client!;
}

/** The service's own count of open event streams, from its Prometheus metrics. */
async function openStreamsGauge(): Promise<number> {
  const metrics = await (await fetch(`${kit.baseUrl}/metrics`)).text();
  const value = /^orderflow_order_event_streams(?:\{[^}]*\})? (\d+)$/m.exec(metrics)?.[1];
  if (value === undefined) throw new Error('Expected the Order service to report orderflow_order_event_streams, but /metrics has no such gauge');
  return Number(value);
}

async function streamTokenFor(orderId: string, customerId = 'customer-1'): Promise<string> {
  const response = await kit.request('POST', `/orders/${orderId}/event-stream-tokens`, { as: customerId });
  expect(response.status).toBe(201);
  return response.body!.token as string;
}

describe('GET /orders/:id/events: history first, then live', () => {
  it('When a client connects after the order has moved, then the first event is a snapshot with the status and the whole timeline', async () => {
    const orderId = await kit.createOrder();
    await kit.processInstanceKeyOf(orderId);
    await kit.deliver(charged(orderId));

    const client = await openStream(orderId);

    const first = await client.waitFor('snapshot');
    expect(client.events[0]!.event).toBe('snapshot');
    expect(first.data).toMatchObject({ orderId, status: 'PAID' });
    expect(first.data.timeline.map((entry: { type: string }) => entry.type)).toEqual(['order.placed', 'checkout.started', 'payment.charged']);
  });

  it('When an event is projected while the client is connected, then the stream sends its timeline entry and the new status', async () => {
    const orderId = await kit.createOrder();
    await kit.processInstanceKeyOf(orderId);
    const client = await openStream(orderId);
    await client.waitFor('snapshot');

    await kit.deliver(cardExpired(orderId));

    expect((await client.waitFor('timeline', (entry) => entry.type === 'payment.card-expired')).data).toMatchObject({ id: expect.any(String), at: expect.any(String) });
    expect((await client.waitFor('status')).data).toEqual({ status: 'AWAITING_CARD_UPDATE', cancellationReason: null });
  });

  it('When a client is connected, then the open streams gauge counts it, and no more once it has gone', async () => {
    const orderId = await kit.createOrder();
    const before = await openStreamsGauge();

    const client = await openStream(orderId);
    await client.waitFor('snapshot');
    expect(await openStreamsGauge()).toBe(before + 1);
    client.close();

    await expect.poll(openStreamsGauge).toBe(before);
  });

  it('When several events are projected, then each timeline entry is sent once, in the order recorded', async () => {
    const orderId = await kit.createOrder();
    await kit.processInstanceKeyOf(orderId);
    const client = await openStream(orderId);
    await client.waitFor('snapshot');

    // One at a time: the projection consumer may handle a batch concurrently, and a card update
    // handled before its card-expired event is (rightly) not a transition.
    await kit.deliver(cardExpired(orderId));
    await kit.deliver(kit.event('payment.card-updated', { orderId, cardToken: 'tok_4242abcd4242', cardLast4: '4242' }));
    await kit.deliver(charged(orderId));
    await client.waitFor('status', (data) => data.status === 'PAID');

    const sent = client.events.filter((event) => event.event === 'timeline').map((event) => event.data.type);
    expect(sent).toEqual(['payment.card-expired', 'payment.card-updated', 'payment.charged']);
  });

  it('When the order changes through another Order service instance, then a stream on this instance receives it', async () => {
    const other = await kit.startInstance();
    const orderId = await kit.createOrder();
    await kit.processInstanceKeyOf(orderId);
    const client = await openStream(orderId);
    await client.waitFor('snapshot');

    const cancel = await fetch(`http://127.0.0.1:${other.port}/orders/${orderId}/cancel`, { method: 'POST', headers: { Authorization: `Bearer ${await customerToken('customer-1')}` } });

    expect(cancel.status).toBe(202);
    await client.waitFor('timeline', (entry) => entry.type === 'order.cancel-requested');
  });
});

describe('GET /orders/:id/events: access', () => {
  it('When no token is sent, then the response is 401 with WWW-Authenticate: Bearer', async () => {
    const orderId = await kit.createOrder();

    const opened = await SseClient.open(`${kit.baseUrl}/orders/${orderId}/events`);

    expect(opened.status).toBe(401);
    expect(opened.headers.get('www-authenticate')).toBe('Bearer');
  });

  it("When another customer opens the stream, then the answer is the same 404 as for an unknown order", async () => {
    const orderId = await kit.createOrder();
    const authorization = { Authorization: `Bearer ${await customerToken(`mallory-${randomUUID()}`)}` };

    const other = await SseClient.open(`${kit.baseUrl}/orders/${orderId}/events`, authorization);
    const unknownId = randomUUID();
    const unknown = await SseClient.open(`${kit.baseUrl}/orders/${unknownId}/events`, authorization);

    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body).replace(orderId, '<id>')).toBe(JSON.stringify(unknown.body).replace(unknownId, '<id>'));
  });

  it('When a stream token is in the query, then the stream opens (as an EventSource would)', async () => {
    const orderId = await kit.createOrder();

    const opened = await SseClient.open(`${kit.baseUrl}/orders/${orderId}/events?access_token=${await streamTokenFor(orderId)}`);
    openClients.push(opened.client!);

    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await opened.client!.waitFor('snapshot')).data.orderId).toBe(orderId);
  });

  it('When the stream is asked for with HEAD, then the answer has the stream\'s headers and ends at once, with no stream left open', async () => {
    const orderId = await kit.createOrder();

    // A client that keeps its connection open, as browsers and proxies do between requests.
    const agent = new http.Agent({ keepAlive: true });
    const authorization = `Bearer ${await customerToken('customer-1')}`;
    try {
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http.request(`${kit.baseUrl}/orders/${orderId}/events`, { method: 'HEAD', agent, headers: { Authorization: authorization } }, resolve).on('error', reject).end();
      });

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(await openStreamsGauge()).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it('When HEAD is sent for another customer\'s order, then the answer is 404 as for GET', async () => {
    const orderId = await kit.createOrder();

    const response = await fetch(`${kit.baseUrl}/orders/${orderId}/events`, { method: 'HEAD', headers: { Authorization: `Bearer ${await customerToken(`mallory-${randomUUID()}`)}` } });

    expect(response.status).toBe(404);
  });

  it('When a stream token for another order is in the query, then the response is 401 naming access_token', async () => {
    const [orderId, otherOrderId] = [await kit.createOrder(), await kit.createOrder()];

    const opened = await SseClient.open(`${kit.baseUrl}/orders/${orderId}/events?access_token=${await streamTokenFor(otherOrderId)}`);

    expect(opened.status).toBe(401);
    expect(opened.body.errors).toEqual([expect.objectContaining({ field: 'access_token' })]);
  });

  it('When a customer token is in the query instead of a stream token, then the response is 401 naming access_token: long-lived tokens never go in URLs', async () => {
    const orderId = await kit.createOrder();

    const opened = await SseClient.open(`${kit.baseUrl}/orders/${orderId}/events?access_token=${await customerToken('customer-1')}`);

    expect(opened.status).toBe(401);
    expect(opened.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(opened.body.errors).toEqual([expect.objectContaining({ field: 'access_token' })]);
  });

  it('When a stream token is used as a bearer token on the Order API, then the response is 401', async () => {
    const orderId = await kit.createOrder();

    const response = await kit.request('GET', `/orders/${orderId}`, { headers: { Authorization: `Bearer ${await streamTokenFor(orderId)}` }, as: null });

    expect(response.status).toBe(401);
  });

  it('When a stream token is asked for with a body with fields, then the response is 400 naming each: the token takes no options', async () => {
    const orderId = await kit.createOrder();

    const response = await kit.request('POST', `/orders/${orderId}/event-stream-tokens`, { body: { expiresInSeconds: 86_400 } });

    expect(response.status).toBe(400);
    expect(response.body!.errors).toEqual([{ field: 'expiresInSeconds', message: 'Expected no such field, but it was sent' }]);
  });

  it("When a customer asks for a stream token for another customer's order, then the response is 404", async () => {
    const orderId = await kit.createOrder();

    const response = await kit.request('POST', `/orders/${orderId}/event-stream-tokens`, { as: `mallory-${randomUUID()}` });

    expect(response.status).toBe(404);
  });
});
