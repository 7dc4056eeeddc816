import { outboxWriterFor, type OutboxWriter } from './outbox.js';
import type { SqlExecutor, TransactionalDatabase, TransactionOptions } from './sql-client.js';

/** `handled` when `work` ran and committed; `duplicate` when the message id had already been handled. */
export type HandleOnceOutcome<R> = { outcome: 'handled'; result: R } | { outcome: 'duplicate' };

export interface HandleOnceOptions extends TransactionOptions {
  /**
   * A key (an order id) whose messages are handled one at a time: each waits until the transaction of
   * the one before has ended, so two commands for one order never interleave. The lock is taken in the
   * inbox statement itself (a round trip less per message than a statement of its own), before any of
   * `work`'s statements, which therefore read what the one before committed.
   */
  serializeOn?: string;
}

const RECEIVE = 'INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT (message_id) DO NOTHING';
const RECEIVE_SERIALIZED = `
  WITH serialized AS (SELECT pg_advisory_xact_lock(hashtextextended($2, 0)))
  INSERT INTO inbox (message_id) SELECT $1 FROM serialized ON CONFLICT (message_id) DO NOTHING`;

/**
 * Runs `work` for a message unless its id is already in the inbox. The id is inserted first, in the
 * same transaction as `work`: a concurrent delivery of the same id waits on the unique key and then
 * finds it (or takes over if the first attempt rolled back), so `work` commits at most once per id.
 * If `work` rejects, nothing is recorded and a redelivery runs it again.
 */
export function handleOnce<Tx extends SqlExecutor, R>(
  db: TransactionalDatabase<Tx>,
  messageId: string,
  work: (tx: Tx, outbox: OutboxWriter) => Promise<R>,
  options: HandleOnceOptions = {},
): Promise<HandleOnceOutcome<R>> {
  const { serializeOn, ...transactionOptions } = options;
  return db.$transaction(async (tx): Promise<HandleOnceOutcome<R>> => {
    const inserted = serializeOn === undefined
      ? await tx.$executeRawUnsafe(RECEIVE, messageId)
      : await tx.$executeRawUnsafe(RECEIVE_SERIALIZED, messageId, serializeOn);
    if (inserted === 0) return { outcome: 'duplicate' };
    return { outcome: 'handled', result: await work(tx, outboxWriterFor(tx)) };
  }, transactionOptions);
}
