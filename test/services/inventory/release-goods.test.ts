import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryTestKit, releaseCommand, reserveCommand } from './support/inventory-test-kit.js';

let kit: InventoryTestKit;

beforeAll(async () => {
  kit = await InventoryTestKit.start();
}, 120_000);

afterAll(() => kit?.stop(), 60_000);

const items = [{ sku: 'SKU-HOODIE', quantity: 2 }];

describe('inventory.release after a reservation', () => {
  it('When the order holds goods, then they go back to available and inventory.released is published', async () => {
    await kit.setStock('SKU-HOODIE', 10);
    const orderId = randomUUID();
    await kit.deliver(reserveCommand(orderId, items));
    const release = releaseCommand(orderId, items);

    await kit.deliver(release);

    expect(await kit.available('SKU-HOODIE')).toBe(10);
    expect(await kit.picked('SKU-HOODIE', orderId)).toBe(0);
    const events = await kit.messaging.waitForEvents(orderId, 2);
    expect(events[1]).toMatchObject({ type: 'inventory.released', causationId: release.id, payload: { orderId, items } });
  });

  it('When the same release message is delivered twice, then the goods go back once', async () => {
    await kit.setStock('SKU-HOODIE', 10);
    const orderId = randomUUID();
    await kit.deliver(reserveCommand(orderId, items));
    const release = releaseCommand(orderId, items);

    await kit.deliver(release, release);

    expect(await kit.available('SKU-HOODIE')).toBe(10);
    expect(await kit.db.outboxMessage.count({ where: { correlationId: orderId, type: 'inventory.released' } })).toBe(1);
  });

  it('When the release is re-sent with a new id, then the goods go back once and inventory.released is published once', async () => {
    await kit.setStock('SKU-HOODIE', 10);
    const orderId = randomUUID();
    await kit.deliver(reserveCommand(orderId, items));

    await kit.deliver(releaseCommand(orderId, items));
    await kit.deliver(releaseCommand(orderId, items));

    expect(await kit.available('SKU-HOODIE')).toBe(10);
    expect(await kit.db.outboxMessage.count({ where: { correlationId: orderId, type: 'inventory.released' } })).toBe(1);
  });
});

describe('inventory.release without goods held', () => {
  it('When the order was out of stock, then nothing moves and nothing is published', async () => {
    await kit.setStock('SKU-HOODIE', 1);
    const orderId = randomUUID();
    await kit.deliver(reserveCommand(orderId, items));

    await kit.deliver(releaseCommand(orderId, items));

    expect(await kit.available('SKU-HOODIE')).toBe(1);
    expect((await kit.db.outboxMessage.findMany({ where: { correlationId: orderId } })).map((row) => row.type)).toEqual(['inventory.out-of-stock']);
  });

  it('When the release overtakes its reserve (a cancel), then the late reserve reserves nothing and publishes nothing', async () => {
    await kit.setStock('SKU-HOODIE', 10);
    const orderId = randomUUID();
    await kit.deliver(releaseCommand(orderId, items));

    await kit.deliver(reserveCommand(orderId, items));

    expect(await kit.available('SKU-HOODIE')).toBe(10);
    expect(await kit.db.reservation.count({ where: { orderId } })).toBe(0);
    expect(await kit.db.outboxMessage.count({ where: { correlationId: orderId } })).toBe(0);
  });
});

describe('stock conservation', () => {
  it('When reserves, releases and a duplicate interleave, then available + picked stays what it was', async () => {
    const sku = 'SKU-STICKERS';
    await kit.setStock(sku, 7);
    const before = (await kit.available(sku)) + (await kit.picked(sku));
    const orders = Array.from({ length: 6 }, () => randomUUID());
    const reserves = orders.map((orderId) => reserveCommand(orderId, [{ sku, quantity: 2 }]));

    await kit.deliver(...reserves, reserves[0]!, releaseCommand(orders[1]!, [{ sku, quantity: 2 }]));
    await kit.deliver(...orders.slice(2, 4).map((orderId) => releaseCommand(orderId, [{ sku, quantity: 2 }])));

    const available = await kit.available(sku);
    expect(available).toBeGreaterThanOrEqual(0);
    expect(available + (await kit.picked(sku))).toBe(before);
  });
});
