import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout } from 'node:timers/promises';
import { holdOrder, outboxCountOf } from '../support/transaction-hold.js';
import { buildAddress, shipCommand, ShippingTestKit } from './shipping-test-kit.js';

let kit: ShippingTestKit;

beforeAll(async () => {
  kit = await ShippingTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

describe('shipping.ship: the carrier accepts', () => {
  it('When the address is deliverable, then shipping.shipped is published with a tracking number', async () => {
    const orderId = randomUUID();
    const command = shipCommand(orderId);

    await kit.deliver(command);

    const [event] = await kit.messaging.waitForEvents(orderId);
    expect(event).toMatchObject({ type: 'shipping.shipped', causationId: command.id, payload: { orderId, shipmentId: expect.any(String), trackingNumber: expect.stringMatching(/^OFP[0-9A-F]{12}$/) } });
  });

  it('When the address is deliverable, then one shipped shipment is stored with the items and address', async () => {
    const orderId = randomUUID();

    await kit.deliver(shipCommand(orderId));

    const shipments = await kit.db.shipment.findMany({ where: { orderId } });
    expect(shipments).toEqual([
      expect.objectContaining({ status: 'shipped', carrier: 'Orderflow Post', items: [{ sku: 'SKU-MUG', quantity: 1 }], address: buildAddress(), rejectionReason: null }),
    ]);
  });
});

describe('shipping.ship: the carrier rejects country AQ', () => {
  it('When the address is in Antarctica (AQ), then shipping.rejected is published with the reason', async () => {
    const orderId = randomUUID();

    await kit.deliver(shipCommand(orderId, buildAddress({ country: 'AQ', city: 'McMurdo Station' })));

    const [event] = await kit.messaging.waitForEvents(orderId);
    expect(event).toMatchObject({ type: 'shipping.rejected', payload: { orderId, reason: 'Orderflow Post does not deliver to country AQ' } });
  });

  it('When the address is in AQ, then a rejected shipment without tracking number is stored', async () => {
    const orderId = randomUUID();

    await kit.deliver(shipCommand(orderId, buildAddress({ country: 'AQ' })));

    expect(await kit.db.shipment.findUnique({ where: { orderId } })).toMatchObject({ status: 'rejected', trackingNumber: null, rejectionReason: expect.stringContaining('AQ') });
  });
});

describe('shipping.ship: twice', () => {
  it('When the same message is delivered twice, then one shipment and one event are written', async () => {
    const orderId = randomUUID();
    const command = shipCommand(orderId);

    await kit.deliver(command, command);

    expect(await kit.db.shipment.count({ where: { orderId } })).toBe(1);
    expect(await kit.db.outboxMessage.count({ where: { correlationId: orderId } })).toBe(1);
  });

  it('When the command is re-sent with a new id (a timeout), then the same shipment and tracking number are published again', async () => {
    const orderId = randomUUID();

    await kit.deliver(shipCommand(orderId));
    await kit.deliver(shipCommand(orderId));

    const [first, second] = await kit.messaging.waitForEvents(orderId, 2);
    expect(second!.payload).toEqual(first!.payload);
    expect(await kit.db.shipment.count({ where: { orderId } })).toBe(1);
  });

  it('When two commands for the same order are handled at once, then exactly one shipment exists', async () => {
    const orderId = randomUUID();

    await kit.deliver(shipCommand(orderId), shipCommand(orderId), shipCommand(orderId));

    expect(await kit.db.shipment.count({ where: { orderId } })).toBe(1);
    const events = await kit.messaging.waitForEvents(orderId, 3);
    expect(new Set(events.map((event) => (event.payload as { shipmentId: string }).shipmentId)).size).toBe(1);
  });

  it('When a command for an order arrives while another for it is being handled, then it waits for that one to end', async () => {
    const orderId = randomUUID();
    const hold = await holdOrder(kit.db, orderId);

    const delivered = kit.deliver(shipCommand(orderId));
    // The service's command waits for the order; a handful of milliseconds would be enough to handle it.
    await setTimeout(300);
    expect(await outboxCountOf(kit.db, orderId)).toBe(0);
    await hold.release();
    await delivered;

    expect(await outboxCountOf(kit.db, orderId)).toBe(1);
  });

  it('When a rejected order is re-sent with a deliverable address, then it stays rejected', async () => {
    const orderId = randomUUID();
    await kit.deliver(shipCommand(orderId, buildAddress({ country: 'AQ' })));

    await kit.deliver(shipCommand(orderId, buildAddress({ country: 'GB' })));

    const events = await kit.messaging.waitForEvents(orderId, 2);
    expect(events.map((event) => event.type)).toEqual(['shipping.rejected', 'shipping.rejected']);
  });
});
