/**
 * Transactions a test holds open in a service's database, so it can show what the service's own
 * statements do while they wait: an order held the way a command being handled holds it (the inbox's
 * `serializeOn`), or any locks one statement takes.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { handleOnce, plainSqlOf } from '../../../lib/database/index.js';

export interface TransactionHold {
  /** Resolves once `count` other sessions of the service's database wait for a lock. */
  untilWaiting(count: number): Promise<void>;
  /** Ends the holding transaction; the statements that waited for it go on. */
  release(): Promise<void>;
}

/** Resolves once `begin` has started its transaction and called `hold`; the transaction stays open until released. */
async function holdOpen(db: object, begin: (hold: () => Promise<void>) => Promise<unknown>): Promise<TransactionHold> {
  let held: () => void = () => {};
  let release: () => void = () => {};
  const holding = new Promise<void>((resolve) => (held = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const transaction = begin(async () => {
    held();
    await released;
  });
  await Promise.race([holding, transaction]);
  const waiting = async () => {
    const [row] = await plainSqlOf(db).$queryRawUnsafe<{ count: number }[]>("SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    return row?.count ?? 0;
  };
  return {
    untilWaiting: async (count) => {
      await expect.poll(waiting, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(count);
    },
    release: async () => {
      release();
      await transaction;
    },
  };
}

/** Holds the order as a command for it being handled would. */
export function holdOrder(db: object, orderId: string): Promise<TransactionHold> {
  return holdOpen(db, (hold) => handleOnce(plainSqlOf(db), randomUUID(), hold, { serializeOn: orderId, timeout: 30_000 }));
}

/** Runs `statement` (one that takes locks, such as `LOCK TABLE` or `SELECT … FOR UPDATE`) and holds its locks. */
export function holdLocks(db: object, statement: string, ...params: unknown[]): Promise<TransactionHold> {
  return holdOpen(db, (hold) =>
    plainSqlOf(db).$transaction(async (tx) => {
      await tx.$executeRawUnsafe(statement, ...params);
      await hold();
    }, { timeout: 30_000 }),
  );
}

/** The events the service committed for the order, published or not. */
export async function outboxCountOf(db: object, orderId: string): Promise<number> {
  const [row] = await plainSqlOf(db).$queryRawUnsafe<{ count: number }[]>('SELECT count(*)::int AS count FROM outbox WHERE correlation_id = $1', orderId);
  return row?.count ?? 0;
}
