import { randomUUID } from 'node:crypto';
import type { SqlExecutor, TransactionalDatabase, TransactionOptions } from './sql-client.js';

/** The PostgreSQL NOTIFY channel an outbox insert signals on commit; a relay may LISTEN to it. */
export const OUTBOX_CHANNEL = 'orderflow_outbox';

/** A message to publish once the transaction that writes it commits. */
export interface OutboxMessageInput {
  /** Defaults to a fresh UUID; it becomes the message id consumers deduplicate on. */
  id?: string;
  type: string;
  routingKey: string;
  /** The orderId. */
  correlationId: string;
  causationId?: string;
  payload: unknown;
  occurredAt?: Date | string;
}

/** A message read back from the outbox, ready for the broker. */
export interface OutboxEnvelope {
  id: string;
  type: string;
  routingKey: string;
  correlationId: string;
  causationId?: string;
  /** ISO 8601. */
  occurredAt: string;
  payload: unknown;
}

/** Writes outbox messages inside the transaction it was created for. */
export interface OutboxWriter {
  /** Resolves with the message id. */
  enqueue(message: OutboxMessageInput): Promise<string>;
}

/** Writes one outbox row in the caller's transaction; the NOTIFY it sends is delivered only if that transaction commits. */
export async function enqueueOutboxMessage(tx: SqlExecutor, message: OutboxMessageInput): Promise<string> {
  const id = message.id ?? randomUUID();
  const occurredAt = message.occurredAt instanceof Date ? message.occurredAt.toISOString() : (message.occurredAt ?? null);
  // One statement for the row and its NOTIFY: every round trip costs both sides CPU, and this runs per event.
  await tx.$executeRawUnsafe(
    `WITH queued AS (
       INSERT INTO outbox (id, type, routing_key, payload, correlation_id, causation_id, created_at)
       VALUES ($1::uuid, $2, $3, $4::jsonb, $5, $6, COALESCE($7::timestamptz, now()))
       RETURNING 1
     )
     SELECT pg_notify($8, '') FROM queued`,
    id,
    message.type,
    message.routingKey,
    JSON.stringify(message.payload),
    message.correlationId,
    message.causationId ?? null,
    occurredAt,
    OUTBOX_CHANNEL,
  );
  return id;
}

export function outboxWriterFor(tx: SqlExecutor): OutboxWriter {
  return { enqueue: (message) => enqueueOutboxMessage(tx, message) };
}

/**
 * Runs `work` in one transaction with an outbox writer: the state it changes and the messages it
 * enqueues commit together or not at all. Rejects with whatever `work` rejects with, after rollback.
 */
export function withOutbox<Tx extends SqlExecutor, R>(
  db: TransactionalDatabase<Tx>,
  work: (tx: Tx, outbox: OutboxWriter) => Promise<R>,
  options?: TransactionOptions,
): Promise<R> {
  return db.$transaction((tx) => work(tx, outboxWriterFor(tx)), options);
}
