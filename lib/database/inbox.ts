import { outboxWriterFor, type OutboxWriter } from './outbox.js';
import type { SqlExecutor, TransactionalDatabase, TransactionOptions } from './sql-client.js';

/** `handled` when `work` ran and committed; `duplicate` when the message id had already been handled. */
export type HandleOnceOutcome<R> = { outcome: 'handled'; result: R } | { outcome: 'duplicate' };

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
  options?: TransactionOptions,
): Promise<HandleOnceOutcome<R>> {
  return db.$transaction(async (tx): Promise<HandleOnceOutcome<R>> => {
    const inserted = await tx.$executeRawUnsafe(
      'INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT (message_id) DO NOTHING',
      messageId,
    );
    if (inserted === 0) return { outcome: 'duplicate' };
    return { outcome: 'handled', result: await work(tx, outboxWriterFor(tx)) };
  }, options);
}
