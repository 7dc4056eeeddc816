import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  connectionFor,
  handleEachOnce,
  handleOnce,
  InboxBatches,
  OutboxPublishError,
  PENDING_OUTBOX_ROWS,
  plainSqlOf,
  PlainSqlMissingError,
  publishPendingOutboxMessages,
  startOutboxRelay,
  TransactionClosedError,
  TransactionTimeoutError,
  withOutbox,
  type PlainSql,
  type SqlExecutor,
  type OutboxEnvelope,
  type OutboxMessageInput,
} from '../../lib/database/index.js';
import { useServiceDatabase } from '../support/service-database.js';
import { createInventoryDatabase } from '../../services/inventory/data-access/inventory-database.js';

// The helpers are the same for every service; the Inventory database stands in for all four.
const database = useServiceDatabase('inventory', createInventoryDatabase);
const sku = 'SKU-TEA';

beforeEach(async () => {
  await database.db.$transaction([database.db.inboxMessage.deleteMany(), database.db.outboxMessage.deleteMany(), database.db.stockItem.deleteMany()]);
  await database.db.stockItem.create({ data: { sku, available: 10 } });
});

function buildMessage(overrides: Partial<OutboxMessageInput> = {}): OutboxMessageInput {
  const orderId = randomUUID();
  return { type: 'GoodsReserved', routingKey: 'inventory.goods-reserved', correlationId: orderId, payload: { orderId, sku }, ...overrides };
}

const available = async () => (await database.db.stockItem.findUniqueOrThrow({ where: { sku } })).available;

describe('withOutbox', () => {
  it('When the work succeeds, then the state change and its outbox message are both committed', async () => {
    const message = buildMessage();

    const messageId = await withOutbox(database.db, async (tx, outbox) => {
      await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 2 } } });
      return outbox.enqueue(message);
    });

    expect(await available()).toBe(8);
    const row = await database.db.outboxMessage.findUniqueOrThrow({ where: { id: messageId } });
    expect(row).toMatchObject({ type: message.type, routingKey: message.routingKey, correlationId: message.correlationId, payload: message.payload, publishedAt: null });
  });

  it('When the work fails after enqueueing, then neither the state change nor the outbox message is committed', async () => {
    const failure = withOutbox(database.db, async (tx, outbox) => {
      await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 2 } } });
      await outbox.enqueue(buildMessage());
      throw new Error('Expected enough stock, but the domain said no');
    });

    await expect(failure).rejects.toThrow('domain said no');
    expect(await available()).toBe(10);
    expect(await database.db.outboxMessage.count()).toBe(0);
  });

  it('When the state change violates a constraint, then the outbox message is rolled back with it', async () => {
    const failure = withOutbox(database.db, async (tx, outbox) => {
      await outbox.enqueue(buildMessage());
      await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 11 } } });
    });

    await expect(failure).rejects.toThrow();
    expect(await database.db.outboxMessage.count()).toBe(0);
  });
});

describe('handleOnce', () => {
  it('When the same message id is delivered ten times at once, then it is handled exactly once', async () => {
    const messageId = randomUUID();

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        handleOnce(database.db, messageId, async (tx) => {
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
    await expect(handleOnce(database.db, messageId, async () => Promise.reject(new Error('transient')))).rejects.toThrow('transient');

    const redelivery = await handleOnce(database.db, messageId, async (tx) => tx.stockItem.update({ where: { sku }, data: { available: 7 } }));

    expect(redelivery.outcome).toBe('handled');
    expect(await available()).toBe(7);
  });

  it('When a handled message emits an event, then the inbox entry, the state and the outbox message commit together', async () => {
    const messageId = randomUUID();

    await handleOnce(database.db, messageId, async (tx, outbox) => {
      await tx.stockItem.update({ where: { sku }, data: { available: { decrement: 1 } } });
      await outbox.enqueue(buildMessage({ causationId: messageId }));
    });

    expect(await database.db.inboxMessage.count({ where: { messageId } })).toBe(1);
    expect(await database.db.outboxMessage.count({ where: { causationId: messageId } })).toBe(1);
  });
});

describe('outbox relay', () => {
  it('When pending messages are published, then each is handed over as an envelope once and marked published', async () => {
    const message = { ...buildMessage({ causationId: randomUUID() }), occurredAt: '2025-11-23T20:00:00.000Z' };
    const id = await withOutbox(database.db, async (_tx, outbox) => outbox.enqueue(message));
    const published: OutboxEnvelope[] = [];

    const first = await publishPendingOutboxMessages(database.db, async (envelope) => void published.push(envelope));
    const second = await publishPendingOutboxMessages(database.db, async (envelope) => void published.push(envelope));

    expect([first, second]).toEqual([1, 0]);
    expect(published).toEqual([{ id, ...message }]);
    expect((await database.db.outboxMessage.findUniqueOrThrow({ where: { id } })).publishedAt).toBeInstanceOf(Date);
  });

  it('When publishing one message of a batch fails, then the others stay published and only it is retried', async () => {
    const ids = await withOutbox(database.db, async (_tx, outbox) => {
      const enqueued: string[] = [];
      for (const second of [1, 2, 3]) enqueued.push(await outbox.enqueue({ ...buildMessage(), occurredAt: `2025-11-23T20:00:0${second}.000Z` }));
      return enqueued;
    });
    const failOn = ids[1];

    const failure = publishPendingOutboxMessages(database.db, async (envelope) => {
      if (envelope.id === failOn) throw new Error('broker unavailable');
    });

    await expect(failure).rejects.toBeInstanceOf(OutboxPublishError);
    const unpublished = await database.db.outboxMessage.findMany({ where: { publishedAt: null }, orderBy: { createdAt: 'asc' } });
    expect(unpublished.map((row) => row.id)).toEqual([failOn]);
  });

  it('When many rows were published, then the relay reads the pending ones through the index of unpublished rows', async () => {
    await plainSqlOf(database.db).$executeRawUnsafe(`
      INSERT INTO outbox (id, type, routing_key, payload, correlation_id, created_at, published_at)
      SELECT gen_random_uuid(), 'GoodsReserved', 'inventory.goods-reserved', '{}', gen_random_uuid()::text, now(), now() FROM generate_series(1, 5000)`);
    await withOutbox(database.db, async (_tx, outbox) => outbox.enqueue(buildMessage()));

    const [plan] = await plainSqlOf(database.db).$queryRawUnsafe<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (FORMAT JSON) ${PENDING_OUTBOX_ROWS.replace('$1', '100')}`);

    const text = JSON.stringify(plan!['QUERY PLAN']);
    expect(text).toContain('"Index Name":"outbox_pending_idx"');
    expect(text).not.toContain('Seq Scan');
  });

  it('When a message is committed while the relay listens, then it is published without waiting for a poll', async () => {
    let resolvePublished: (envelope: OutboxEnvelope) => void = () => {};
    const published = new Promise<OutboxEnvelope>((resolve) => (resolvePublished = resolve));
    const relay = startOutboxRelay({
      db: database.db,
      publish: async (envelope) => resolvePublished(envelope),
      logger: pino({ level: 'silent' }),
      pollIntervalMs: 60_000,
      listenOn: connectionFor('inventory', database.config),
    });
    try {
      expect(await relay.listening).toBe(true);

      const id = await withOutbox(database.db, async (_tx, outbox) => outbox.enqueue(buildMessage()));

      expect((await published).id).toBe(id);
    } finally {
      await relay.stop();
    }
  });
});

const stockOf = async (sku: string, executor: SqlExecutor = plainSqlOf(database.db)) =>
  (await executor.$queryRawUnsafe<{ available: number }[]>('SELECT available FROM stock_items WHERE sku = $1', sku))[0]?.available;

// Plain SQL on a service's pool must behave as Prisma's raw queries and interactive transactions do
// for the inbox, the outbox and the message handlers: all or nothing, once per message id, bounded in time.
describe('Plain SQL on a service pool', () => {
  let sql: PlainSql;
  beforeEach(() => {
    sql = plainSqlOf(database.db);
  });

  it('When a transaction resolves, then all its statements are committed and rows come back typed', async () => {
    const result = await sql.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("INSERT INTO stock_items (sku, available, updated_at) VALUES ('SKU-A', 5, now())");
      const updated = await tx.$executeRawUnsafe("UPDATE stock_items SET available = available + 2 WHERE sku = 'SKU-A'");
      return { updated, rows: await tx.$queryRawUnsafe<{ available: number; skus: string[] }[]>("SELECT available, ARRAY[sku] AS skus FROM stock_items WHERE sku = 'SKU-A'") };
    });
    expect(result).toEqual({ updated: 1, rows: [{ available: 7, skus: ['SKU-A'] }] });
    expect(await stockOf('SKU-A')).toBe(7);
  });

  it('When the work rejects, then nothing it wrote is kept and the error reaches the caller', async () => {
    const failure = new Error('the handler failed');
    await expect(sql.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("INSERT INTO stock_items (sku, available, updated_at) VALUES ('SKU-B', 5, now())");
      throw failure;
    })).rejects.toBe(failure);
    expect(await stockOf('SKU-B')).toBeUndefined();
  });

  it('When the work outlives its timeout, then the transaction is rolled back and its later statements are refused', async () => {
    let work: Promise<unknown> | undefined;
    const attempt = sql.$transaction((tx) => {
      work = (async () => {
        await tx.$executeRawUnsafe("INSERT INTO stock_items (sku, available, updated_at) VALUES ('SKU-C', 5, now())");
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.$executeRawUnsafe("INSERT INTO stock_items (sku, available, updated_at) VALUES ('SKU-D', 5, now())");
      })();
      return work;
    }, { timeout: 100 });
    await expect(attempt).rejects.toBeInstanceOf(TransactionTimeoutError);
    await expect(work).rejects.toBeInstanceOf(TransactionClosedError);
    expect(await stockOf('SKU-C')).toBeUndefined();
    expect(await stockOf('SKU-D')).toBeUndefined();
  });

  it('When the same message id is handled concurrently, then the work commits once', async () => {
    const messageId = randomUUID();
    await sql.$executeRawUnsafe("INSERT INTO stock_items (sku, available, updated_at) VALUES ('SKU-E', 0, now())");
    const outcomes = await Promise.all(Array.from({ length: 5 }, () =>
      handleOnce(sql, messageId, async (tx) => tx.$executeRawUnsafe("UPDATE stock_items SET available = available + 1 WHERE sku = 'SKU-E'"))));
    expect(outcomes.filter((o) => o.outcome === 'handled')).toHaveLength(1);
    expect(await stockOf('SKU-E')).toBe(1);
  });

  it('When messages with the same serializeOn key are handled at once, then each reads what the one before committed', async () => {
    await sql.$executeRawUnsafe("INSERT INTO stock_items (sku, available, updated_at) VALUES ('SKU-F', 0, now())");
    const orderId = randomUUID();
    // A read-modify-write with a pause in between: interleaved, two of them would lose an update.
    const handleOne = () => handleOnce(sql, randomUUID(), async (tx) => {
      const [row] = await tx.$queryRawUnsafe<{ available: number }[]>("SELECT available FROM stock_items WHERE sku = 'SKU-F'");
      await new Promise((resolve) => setTimeout(resolve, 30));
      await tx.$executeRawUnsafe("UPDATE stock_items SET available = $1 WHERE sku = 'SKU-F'", row!.available + 1);
    }, { serializeOn: orderId });
    await Promise.all(Array.from({ length: 5 }, handleOne));
    expect(await stockOf('SKU-F')).toBe(5);
  });

  it('When messages have different serializeOn keys, then they are handled side by side', async () => {
    let secondStarted: () => void = () => {};
    const second = new Promise<void>((resolve) => (secondStarted = resolve));
    const bound = (ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the other key's handler did not start within ${ms} ms`)), ms));
    // The first holds its key until the second has started: one lock for all keys would never let it.
    const first = handleOnce(sql, randomUUID(), () => Promise.race([second, bound(5_000)]), { serializeOn: randomUUID() });
    const other = handleOnce(sql, randomUUID(), async () => secondStarted(), { serializeOn: randomUUID() });
    await expect(Promise.all([first, other])).resolves.toEqual([{ outcome: 'handled', result: undefined }, { outcome: 'handled', result: undefined }]);
  });

  it('When messages are handled in one transaction, then each sees what the one before wrote and a second copy is a duplicate', async () => {
    await sql.$executeRawUnsafe("INSERT INTO stock_items (sku, available, updated_at) VALUES ('SKU-G', 0, now())");
    const increment = (messageId: string) => ({
      messageId,
      serializeOn: 'order-g',
      work: async (tx: SqlExecutor) => {
        await tx.$executeRawUnsafe("UPDATE stock_items SET available = available + 1 WHERE sku = 'SKU-G'");
        return stockOf('SKU-G', tx);
      },
    });
    const [a, b] = [randomUUID(), randomUUID()];

    const outcomes = await handleEachOnce(sql, [increment(a), increment(b), increment(a)]);

    expect(outcomes).toEqual([{ outcome: 'handled', result: 1 }, { outcome: 'handled', result: 2 }, { outcome: 'duplicate' }]);
    expect(await stockOf('SKU-G')).toBe(2);
  });

  it('When one message of a transaction fails, then none of them is recorded', async () => {
    await sql.$executeRawUnsafe("INSERT INTO stock_items (sku, available, updated_at) VALUES ('SKU-H', 0, now())");
    const [a, b] = [randomUUID(), randomUUID()];

    await expect(handleEachOnce(sql, [
      { messageId: a, work: async (tx) => tx.$executeRawUnsafe("UPDATE stock_items SET available = available + 1 WHERE sku = 'SKU-H'") },
      { messageId: b, work: async () => { throw new Error('the second handler failed'); } },
    ])).rejects.toThrow('the second handler failed');

    expect(await stockOf('SKU-H')).toBe(0);
    expect(await database.db.inboxMessage.count({ where: { messageId: { in: [a, b] } } })).toBe(0);
  });

  it('When messages reach the inbox batches together, then they share one transaction, and one that fails alone fails only itself', async () => {
    const batches = new InboxBatches(sql, { maxBatchSize: 10, logger: pino({ level: 'silent' }) });
    const transactionOf = async (tx: SqlExecutor) => (await tx.$queryRawUnsafe<{ id: string }[]>('SELECT txid_current()::text AS id'))[0]!.id;
    const failing = randomUUID();

    const together = await Promise.all([randomUUID(), randomUUID()].map((id) => batches.handleOnce(id, transactionOf)));
    const mixed = await Promise.allSettled([randomUUID(), failing, randomUUID()].map((id) => batches.handleOnce(id, async (tx) => {
      if (id === failing) throw new Error('this one fails');
      return transactionOf(tx);
    })));

    expect(together[0]).toEqual({ outcome: 'handled', result: expect.any(String) });
    expect(together[1]).toEqual(together[0]);
    expect(mixed.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await database.db.inboxMessage.count({ where: { messageId: failing } })).toBe(0);
  });

  it('When a Prisma client was not made by a service database factory, then asking for its plain SQL is a typed error', () => {
    expect(() => plainSqlOf({})).toThrow(PlainSqlMissingError);
  });

  it('When a client that ran only plain SQL disconnects, then its pool is ended', async () => {
    const other = createInventoryDatabase(database.config);
    const otherSql = plainSqlOf(other);
    expect(await otherSql.$queryRawUnsafe<{ one: number }[]>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await other.$disconnect();
    await expect(otherSql.$queryRawUnsafe('SELECT 1')).rejects.toThrow(/after calling end on the pool/);
  });
});
