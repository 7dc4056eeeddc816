/**
 * Holds an order in a service's database the way a command being handled holds it (the inbox's
 * `serializeOn`), so a test can show that the service's next command for that order waits.
 */
import { randomUUID } from 'node:crypto';
import { handleOnce, plainSqlOf } from '../../../lib/database/index.js';

export interface OrderHold {
  /** Ends the holding transaction; the commands that waited for it go on. */
  release(): Promise<void>;
}

/** Resolves once the order is held. */
export async function holdOrder(db: object, orderId: string): Promise<OrderHold> {
  let held: () => void = () => {};
  let release: () => void = () => {};
  const holding = new Promise<void>((resolve) => (held = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const transaction = handleOnce(plainSqlOf(db), randomUUID(), async () => {
    held();
    await released;
  }, { serializeOn: orderId, timeout: 30_000 });
  await Promise.race([holding, transaction]);
  return {
    release: async () => {
      release();
      await transaction;
    },
  };
}

/** The events the service committed for the order, published or not. */
export async function outboxCountOf(db: object, orderId: string): Promise<number> {
  const [row] = await plainSqlOf(db).$queryRawUnsafe<{ count: number }[]>('SELECT count(*)::int AS count FROM outbox WHERE correlation_id = $1', orderId);
  return row?.count ?? 0;
}
