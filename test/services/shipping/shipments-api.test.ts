import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationFor } from '../../support/customer-token.js';
import { opsAuthorization } from '../../support/ops-token.js';
import { buildAddress, shipCommand, ShippingTestKit } from './shipping-test-kit.js';

let kit: ShippingTestKit;

beforeAll(async () => {
  kit = await ShippingTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

describe('GET /shipments?orderId=', () => {
  it('When the order was shipped, then its one shipment is listed with the tracking number', async () => {
    const orderId = randomUUID();
    await kit.deliver(shipCommand(orderId));
    const [event] = await kit.messaging.waitForEvents(orderId);

    const response = await kit.get(`/shipments?orderId=${orderId}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        {
          id: (event!.payload as { shipmentId: string }).shipmentId,
          orderId,
          status: 'shipped',
          carrier: 'Orderflow Post',
          trackingNumber: (event!.payload as { trackingNumber: string }).trackingNumber,
          rejectionReason: null,
          items: [{ sku: 'SKU-MUG', quantity: 1 }],
          shippingAddress: buildAddress(),
          createdAt: expect.any(String),
        },
      ],
    });
  });

  it('When the shipment was rejected, then it is listed with the reason', async () => {
    const orderId = randomUUID();
    await kit.deliver(shipCommand(orderId, buildAddress({ country: 'AQ' })));

    const response = await kit.get(`/shipments?orderId=${orderId}`);

    expect(response.body.items).toEqual([expect.objectContaining({ status: 'rejected', trackingNumber: null, rejectionReason: 'Orderflow Post does not deliver to country AQ' })]);
  });

  it('When the order has no shipment, then the list is empty', async () => {
    const response = await kit.get(`/shipments?orderId=${randomUUID()}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
  });

  it.each([
    ['missing', '/shipments'],
    ['not a UUID', '/shipments?orderId=42'],
  ])('When orderId is %s, then the response is a 400 problem naming orderId', async (_case, path) => {
    const response = await kit.get(path);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'orderId' })]);
  });

  it('When the route does not exist, then the response is a 404 problem', async () => {
    const response = await kit.get('/shipments/everything');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('When shipments are posted to, then the response is a 405 problem with Allow: GET, HEAD', async () => {
    const response = await fetch(`http://127.0.0.1:${kit.service.port}/shipments`, { method: 'POST', headers: opsAuthorization() });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('operator access to GET /shipments', () => {
  it.each([
    ['no Authorization header', async () => null, 401],
    ['a wrong token', async () => 'Bearer not-the-ops-token', 401],
    ["a customer's JWT", async () => (await authorizationFor('ada')).Authorization!, 401],
    ['the read token', async () => opsAuthorization('read').Authorization!, 200],
    ['the ops token', async () => opsAuthorization('ops').Authorization!, 200],
  ] as [string, () => Promise<string | null>, number][])('When a request carries %s, then it answers %i', async (_case, authorization, status) => {
    const orderId = randomUUID();
    await kit.deliver(shipCommand(orderId));

    const response = await kit.get(`/shipments?orderId=${orderId}`, await authorization());

    expect(response.status).toBe(status);
    if (status === 200) expect(response.body.items).toHaveLength(1);
    else expect(JSON.stringify(response.body)).not.toContain(buildAddress().line1);
  });

  it('When no token is sent, then the 401 is problem+json with a challenge, naming the Authorization header', async () => {
    const response = await kit.get(`/shipments?orderId=${randomUUID()}`, null);

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="orderflow-ops"');
    expect(response.body.errors).toEqual([{ field: 'Authorization', message: 'Expected Bearer <ORDERFLOW_OPS_TOKEN> or Bearer <ORDERFLOW_OPS_READ_TOKEN>' }]);
  });
});
