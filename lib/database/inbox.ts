import type { Logger } from 'pino';
import { BatchCoalescer } from '../batching/batch-coalescer.js';
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

/** One message's part of an inbox transaction: its id, the key it waits its turn on, and its work. */
export interface InboxWork<Tx extends SqlExecutor, R> {
  messageId: string;
  work: (tx: Tx, outbox: OutboxWriter) => Promise<R>;
  serializeOn?: string;
}

/**
 * Runs `work` for a message unless its id is already in the inbox. The id is inserted first, in the
 * same transaction as `work`: a concurrent delivery of the same id waits on the unique key and then
 * finds it (or takes over if the first attempt rolled back), so `work` commits at most once per id.
 * If `work` rejects, nothing is recorded and a redelivery runs it again.
 */
export async function handleOnce<Tx extends SqlExecutor, R>(
  db: TransactionalDatabase<Tx>,
  messageId: string,
  work: (tx: Tx, outbox: OutboxWriter) => Promise<R>,
  options: HandleOnceOptions = {},
): Promise<HandleOnceOutcome<R>> {
  const { serializeOn, ...transactionOptions } = options;
  const [outcome] = await handleEachOnce(db, [{ messageId, work, ...(serializeOn === undefined ? {} : { serializeOn }) }], transactionOptions);
  return outcome!;
}

/**
 * `handleOnce` for several messages in one transaction, one after the other in their order: a
 * message's work sees what the ones before it did, and a second copy of a message id is a duplicate.
 * If any work rejects, none of them is recorded.
 */
export function handleEachOnce<Tx extends SqlExecutor, R>(
  db: TransactionalDatabase<Tx>,
  messages: readonly InboxWork<Tx, R>[],
  options: TransactionOptions = {},
): Promise<HandleOnceOutcome<R>[]> {
  return db.$transaction(async (tx): Promise<HandleOnceOutcome<R>[]> => {
    const outcomes: HandleOnceOutcome<R>[] = [];
    for (const { messageId, work, serializeOn } of messages) {
      const inserted = serializeOn === undefined
        ? await tx.$executeRawUnsafe(RECEIVE, messageId)
        : await tx.$executeRawUnsafe(RECEIVE_SERIALIZED, messageId, serializeOn);
      outcomes.push(inserted === 0 ? { outcome: 'duplicate' } : { outcome: 'handled', result: await work(tx, outboxWriterFor(tx)) });
    }
    return outcomes;
  }, options);
}

/**
 * A consumer's inbox transactions, batched: the messages in hand are handled in one transaction
 * (`handleEachOnce`), up to `maxBatchSize` of them, saving a `BEGIN` and a `COMMIT` per message;
 * should the batch fail, each of its messages is handled in a transaction of its own, so only the
 * one that fails alone is retried. Messages for one key are handled in the order they came.
 */
export class InboxBatches {
  private readonly batches: BatchCoalescer<InboxWork<SqlExecutor, unknown>, HandleOnceOutcome<unknown>>;

  constructor(db: TransactionalDatabase, options: { maxBatchSize: number; logger: Logger }) {
    this.batches = new BatchCoalescer({
      applyBatch: (messages) => handleEachOnce(db, messages),
      applyOne: async (message) => (await handleEachOnce(db, [message]))[0]!,
      ...options,
    });
  }

  /** As `handleOnce`, in the next batch. */
  handleOnce<R>(messageId: string, work: (tx: SqlExecutor, outbox: OutboxWriter) => Promise<R>, options: { serializeOn?: string } = {}): Promise<HandleOnceOutcome<R>> {
    return this.batches.submit({ messageId, work, ...options }) as Promise<HandleOnceOutcome<R>>;
  }
}
