import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  connectionFor,
  handleOnce,
  OutboxPublishError,
  publishPendingOutboxMessages,
  startOutboxRelay,
  withOutbox,
  type OutboxEnvelope,
  type OutboxMessageInput,
} from '../../lib/database/index.js';
import { createTestDatabases, type TestDatabases } from '../../lib/database/test-databases.js';
import { createInventoryDatabase, type InventoryDatabase } from '../../services/inventory/data-access/inventory-database.js';

// The helpers are the same for every service; the Inventory database stands in for all four.
let databases: TestDatabases;
let db: InventoryDatabase;
const sku = 'SKU-TEA';

beforeAll(async () => {
  databases = await createTestDatabases(['inventory']);
  db = createInventoryDatabase(databases.config);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await databases?.drop();
}, 60_000);

beforeEach(async () => {
  await db.$transaction([db.inboxMessage.deleteMany(), db.outboxMessage.deleteMany(), db.stockItem.deleteMany()]);
  await db.stockItem.create({ data: { sku, available: 10 } });
});

function buildMessage(overrides: Partial<OutboxMessageInput> = {}): OutboxMessageInput {
  const orderId = randomUUID();
  return { type: 'GoodsReserved', routingKey: 'inventory.goods-reserved', correlationId: orderId, payload: { orderId, sku }, ...overrides };
}

const available = async () => (await db.stockItem.findUniqueOrThrow({ where: { sku } })).available;

describe('withOutbox', () => {
  it('When the work succeeds, then the state change and its outbox message are both committed', async () => {
    const message = buildMessage();

    const messageId = await withOutbox(db, async (tx, outbox) => {
      await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 2 } } });
      return outbox.enqueue(message);
    });

    expect(await available()).toBe(8);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: messageId } });
    expect(row).toMatchObject({ type: message.type, routingKey: message.routingKey, correlationId: message.correlationId, payload: message.payload, publishedAt: null });
  });

  it('When the work fails after enqueueing, then neither the state change nor the outbox message is committed', async () => {
    const failure = withOutbox(db, async (tx, outbox) => {
      await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 2 } } });
      await outbox.enqueue(buildMessage());
      throw new Error('Expected enough stock, but the domain said no');
    });

    await expect(failure).rejects.toThrow('domain said no');
    expect(await available()).toBe(10);
    expect(await db.outboxMessage.count()).toBe(0);
  });

  it('When the state change violates a constraint, then the outbox message is rolled back with it', async () => {
    const failure = withOutbox(db, async (tx, outbox) => {
      await outbox.enqueue(buildMessage());
      await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 11 } } });
    });

    await expect(failure).rejects.toThrow();
    expect(await db.outboxMessage.count()).toBe(0);
  });
});

describe('handleOnce', () => {
  it('When the same message id is delivered ten times at once, then it is handled exactly once', async () => {
    const messageId = randomUUID();

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        handleOnce(db, messageId, async (tx) => {
          await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 1 } } });
        }),
      ),
    );

    expect(outcomes.filter((o) => o.outcome === 'handled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(9);
    expect(await available()).toBe(9);
  });

  it('When handling fails, then the message id is not recorded and a redelivery handles it', async () => {
    const messageId = randomUUID();
    await expect(handleOnce(db, messageId, async () => Promise.reject(new Error('transient')))).rejects.toThrow('transient');

    const redelivery = await handleOnce(db, messageId, async (tx) => tx.stockItem.update({ where: { sku }, data: { available: 7 } }));

    expect(redelivery.outcome).toBe('handled');
    expect(await available()).toBe(7);
  });

  it('When a handled message emits an event, then the inbox entry, the state and the outbox message commit together', async () => {
    const messageId = randomUUID();

    await handleOnce(db, messageId, async (tx, outbox) => {
      await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 1 } } });
      await outbox.enqueue(buildMessage({ causationId: messageId }));
    });

    expect(await db.inboxMessage.count({ where: { messageId } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { causationId: messageId } })).toBe(1);
  });
});

describe('outbox relay', () => {
  it('When pending messages are published, then each is handed over as an envelope once and marked published', async () => {
    const message = { ...buildMessage({ causationId: randomUUID() }), occurredAt: '2025-11-23T20:00:00.000Z' };
    const id = await withOutbox(db, async (_tx, outbox) => outbox.enqueue(message));
    const published: OutboxEnvelope[] = [];

    const first = await publishPendingOutboxMessages(db, async (envelope) => void published.push(envelope));
    const second = await publishPendingOutboxMessages(db, async (envelope) => void published.push(envelope));

    expect([first, second]).toEqual([1, 0]);
    expect(published).toEqual([{ id, ...message }]);
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).publishedAt).toBeInstanceOf(Date);
  });

  it('When publishing one message of a batch fails, then the others stay published and only it is retried', async () => {
    const ids = await withOutbox(db, async (_tx, outbox) => {
      const enqueued: string[] = [];
      for (const second of [1, 2, 3]) enqueued.push(await outbox.enqueue({ ...buildMessage(), occurredAt: `2025-11-23T20:00:0${second}.000Z` }));
      return enqueued;
    });
    const failOn = ids[1];

    const failure = publishPendingOutboxMessages(db, async (envelope) => {
      if (envelope.id === failOn) throw new Error('broker unavailable');
    });

    await expect(failure).rejects.toBeInstanceOf(OutboxPublishError);
    const unpublished = await db.outboxMessage.findMany({ where: { publishedAt: null }, orderBy: { createdAt: 'asc' } });
    expect(unpublished.map((row) => row.id)).toEqual([failOn]);
  });

  it('When a message is committed while the relay listens, then it is published without waiting for a poll', async () => {
    let resolvePublished: (envelope: OutboxEnvelope) => void = () => {};
    const published = new Promise<OutboxEnvelope>((resolve) => (resolvePublished = resolve));
    const relay = startOutboxRelay({
      db,
      publish: async (envelope) => resolvePublished(envelope),
      logger: pino({ level: 'silent' }),
      pollIntervalMs: 60_000,
      listenOn: connectionFor('inventory', databases.config),
    });
    try {
      expect(await relay.listening).toBe(true);

      const id = await withOutbox(db, async (_tx, outbox) => outbox.enqueue(buildMessage()));

      expect((await published).id).toBe(id);
    } finally {
      await relay.stop();
    }
  });
});
