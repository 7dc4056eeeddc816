import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout } from 'node:timers/promises';
import { holdOrder, outboxCountOf } from '../support/transaction-hold.js';
import { InventoryTestKit, reserveCommand } from './support/inventory-test-kit.js';

let kit: InventoryTestKit;

beforeAll(async () => {
  kit = await InventoryTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

describe('inventory.reserve: enough stock', () => {
  it('When every item is in stock, then inventory.reserved is published with the items', async () => {
    await kit.setStock('SKU-TSHIRT', 10);
    const orderId = randomUUID();
    const command = reserveCommand(orderId, [{ sku: 'SKU-TSHIRT', quantity: 2 }]);

    await kit.deliver(command);

    const [event] = await kit.messaging.waitForEvents(orderId);
    expect(event).toMatchObject({ type: 'inventory.reserved', correlationId: orderId, causationId: command.id, payload: { orderId, items: [{ sku: 'SKU-TSHIRT', quantity: 2 }] } });
  });

  it('When every item is in stock, then the units move from available to picked for the order', async () => {
    await kit.setStock('SKU-MUG', 10);
    await kit.setStock('SKU-CAP', 4);
    const orderId = randomUUID();

    await kit.deliver(reserveCommand(orderId, [{ sku: 'SKU-MUG', quantity: 3 }, { sku: 'SKU-CAP', quantity: 4 }]));

    expect(await kit.available('SKU-MUG')).toBe(7);
    expect(await kit.available('SKU-CAP')).toBe(0);
    const lines = await kit.db.reservation.findMany({ where: { orderId }, orderBy: { sku: 'asc' } });
    expect(lines.map(({ sku, quantity, status }) => ({ sku, quantity, status }))).toEqual([
      { sku: 'SKU-CAP', quantity: 4, status: 'picked' },
      { sku: 'SKU-MUG', quantity: 3, status: 'picked' },
    ]);
  });

  it('When the same SKU appears on two lines, then it is reserved as one line of the sum', async () => {
    await kit.setStock('SKU-STICKERS', 5);
    const orderId = randomUUID();

    await kit.deliver(reserveCommand(orderId, [{ sku: 'SKU-STICKERS', quantity: 2 }, { sku: 'SKU-STICKERS', quantity: 3 }]));

    expect(await kit.available('SKU-STICKERS')).toBe(0);
    expect((await kit.messaging.waitForEvents(orderId))[0]!.payload).toEqual({ orderId, items: [{ sku: 'SKU-STICKERS', quantity: 5 }] });
  });
});

describe('inventory.reserve: one command per order at a time', () => {
  it('When a command for an order arrives while another for it is being handled, then it waits for that one to end', async () => {
    await kit.setStock('SKU-SCARF', 10);
    const orderId = randomUUID();
    const hold = await holdOrder(kit.db, orderId);

    const delivered = kit.deliver(reserveCommand(orderId, [{ sku: 'SKU-SCARF', quantity: 1 }]));
    // The service's command waits for the order; a handful of milliseconds would be enough to handle it.
    await setTimeout(300);
    expect(await kit.available('SKU-SCARF')).toBe(10);
    expect(await outboxCountOf(kit.db, orderId)).toBe(0);
    await hold.release();
    await delivered;

    expect(await kit.available('SKU-SCARF')).toBe(9);
    expect(await outboxCountOf(kit.db, orderId)).toBe(1);
  });
});

describe('inventory.reserve: not enough stock', () => {
  it('When one item is short, then inventory.out-of-stock names it and nothing is reserved', async () => {
    await kit.setStock('SKU-HOODIE', 1);
    await kit.setStock('SKU-POSTER', 10);
    const orderId = randomUUID();

    await kit.deliver(reserveCommand(orderId, [{ sku: 'SKU-POSTER', quantity: 2 }, { sku: 'SKU-HOODIE', quantity: 3 }]));

    const [event] = await kit.messaging.waitForEvents(orderId);
    expect(event).toMatchObject({ type: 'inventory.out-of-stock', payload: { orderId, unavailable: [{ sku: 'SKU-HOODIE', requested: 3, available: 1 }] } });
    expect(await kit.available('SKU-POSTER')).toBe(10);
    expect(await kit.available('SKU-HOODIE')).toBe(1);
    expect(await kit.db.reservation.count({ where: { orderId } })).toBe(0);
  });

  it('When a SKU is not stocked at all, then it is reported out of stock with 0 available', async () => {
    const orderId = randomUUID();

    await kit.deliver(reserveCommand(orderId, [{ sku: 'SKU-DISCONTINUED', quantity: 1 }]));

    expect((await kit.messaging.waitForEvents(orderId))[0]!.payload).toEqual({ orderId, unavailable: [{ sku: 'SKU-DISCONTINUED', requested: 1, available: 0 }] });
  });

  it('When an order was out of stock and is re-sent after a restock, then it stays out of stock and nothing is reserved', async () => {
    await kit.setStock('SKU-HOODIE', 0);
    const orderId = randomUUID();
    await kit.deliver(reserveCommand(orderId, [{ sku: 'SKU-HOODIE', quantity: 1 }]));
    await kit.setStock('SKU-HOODIE', 5);

    await kit.deliver(reserveCommand(orderId, [{ sku: 'SKU-HOODIE', quantity: 1 }]));

    const events = await kit.messaging.waitForEvents(orderId, 2);
    expect(events.map((event) => event.type)).toEqual(['inventory.out-of-stock', 'inventory.out-of-stock']);
    expect(await kit.available('SKU-HOODIE')).toBe(5);
  });
});

describe('inventory.reserve: twice', () => {
  it('When the same message is delivered twice, then it is handled once', async () => {
    await kit.setStock('SKU-TSHIRT', 10);
    const orderId = randomUUID();
    const command = reserveCommand(orderId, [{ sku: 'SKU-TSHIRT', quantity: 4 }]);

    await kit.deliver(command, command);

    expect(await kit.available('SKU-TSHIRT')).toBe(6);
    expect(await kit.db.outboxMessage.count({ where: { correlationId: orderId } })).toBe(1);
  });

  it('When the command is re-sent with a new id (a timeout), then the same outcome is published again and stock moves once', async () => {
    await kit.setStock('SKU-TSHIRT', 10);
    const orderId = randomUUID();
    const items = [{ sku: 'SKU-TSHIRT', quantity: 4 }];

    await kit.deliver(reserveCommand(orderId, items));
    await kit.deliver(reserveCommand(orderId, items));

    const events = await kit.messaging.waitForEvents(orderId, 2);
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      ['inventory.reserved', { orderId, items }],
      ['inventory.reserved', { orderId, items }],
    ]);
    expect(await kit.available('SKU-TSHIRT')).toBe(6);
    expect(await kit.picked('SKU-TSHIRT', orderId)).toBe(4);
  });
});

describe('inventory.reserve: concurrency', () => {
  it('When two orders race for the last unit, then exactly one gets it and the other is out of stock', async () => {
    await kit.setStock('SKU-POSTER', 1);
    const [first, second] = [randomUUID(), randomUUID()];

    await kit.deliver(reserveCommand(first, [{ sku: 'SKU-POSTER', quantity: 1 }]), reserveCommand(second, [{ sku: 'SKU-POSTER', quantity: 1 }]));

    const outcomes = [(await kit.messaging.waitForEvents(first))[0]!.type, (await kit.messaging.waitForEvents(second))[0]!.type];
    expect(outcomes.sort()).toEqual(['inventory.out-of-stock', 'inventory.reserved']);
    expect(await kit.available('SKU-POSTER')).toBe(0);
    expect(await kit.picked('SKU-POSTER')).toBe(1);
  });

  it('When orders take the same two SKUs listed in either order at once, then every one is reserved and the units add up', async () => {
    await kit.setStock('SKU-MUG', 100);
    await kit.setStock('SKU-TEE', 100);
    const picked = { mug: await kit.picked('SKU-MUG'), tee: await kit.picked('SKU-TEE') };
    const orders = Array.from({ length: 8 }, () => randomUUID());
    const lines = (i: number) => (i % 2 === 0 ? [{ sku: 'SKU-MUG', quantity: 1 }, { sku: 'SKU-TEE', quantity: 2 }] : [{ sku: 'SKU-TEE', quantity: 2 }, { sku: 'SKU-MUG', quantity: 1 }]);

    await kit.deliver(...orders.map((orderId, i) => reserveCommand(orderId, lines(i))));

    const types = await Promise.all(orders.map(async (orderId) => (await kit.messaging.waitForEvents(orderId))[0]!.type));
    expect(types.every((type) => type === 'inventory.reserved')).toBe(true);
    expect([await kit.available('SKU-MUG'), (await kit.picked('SKU-MUG')) - picked.mug]).toEqual([92, 8]);
    expect([await kit.available('SKU-TEE'), (await kit.picked('SKU-TEE')) - picked.tee]).toEqual([84, 16]);
  });

  it('When many orders race for fewer units, then exactly as many win as there are units and none goes negative', async () => {
    await kit.setStock('SKU-CAP', 3);
    const initiallyPicked = await kit.picked('SKU-CAP');
    const orders = Array.from({ length: 8 }, () => randomUUID());

    await kit.deliver(...orders.map((orderId) => reserveCommand(orderId, [{ sku: 'SKU-CAP', quantity: 1 }])));

    const types = await Promise.all(orders.map(async (orderId) => (await kit.messaging.waitForEvents(orderId))[0]!.type));
    expect(types.filter((type) => type === 'inventory.reserved')).toHaveLength(3);
    expect(await kit.available('SKU-CAP')).toBe(0);
    expect((await kit.picked('SKU-CAP')) - initiallyPicked).toBe(3);
  });
});
