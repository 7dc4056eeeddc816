import pg from 'pg';
import type { Logger } from 'pino';
import type { ConnectionOptions } from './database-config.js';
import { OutboxPublishError } from './errors.js';
import { OUTBOX_CHANNEL, type OutboxEnvelope } from './outbox.js';
import type { TransactionalDatabase } from './sql-client.js';

/** Hands one message to the broker; resolves once the broker has confirmed it. */
export type PublishOutboxEnvelope = (envelope: OutboxEnvelope) => Promise<void>;

interface OutboxRow {
  id: string;
  type: string;
  routing_key: string;
  payload: unknown;
  correlation_id: string;
  causation_id: string | null;
  created_at: Date;
}

function toEnvelope(row: OutboxRow): OutboxEnvelope {
  return {
    id: row.id,
    type: row.type,
    routingKey: row.routing_key,
    correlationId: row.correlation_id,
    ...(row.causation_id === null ? {} : { causationId: row.causation_id }),
    occurredAt: new Date(row.created_at).toISOString(),
    payload: row.payload,
  };
}

/**
 * The oldest unpublished rows, through the partial index of unpublished rows (each service's
 * `outbox_pending_idx`). The order names the table's columns: `id` alone would be the text of the
 * select list, which no index holds, and a sort of every pending row would come first.
 */
export const PENDING_OUTBOX_ROWS = `
  SELECT id::text AS id, type, routing_key, payload, correlation_id, causation_id, created_at
  FROM outbox WHERE published_at IS NULL ORDER BY outbox.created_at, outbox.id LIMIT $1 FOR UPDATE SKIP LOCKED`;

/**
 * Publishes up to `batchSize` unpublished outbox messages, oldest first, and marks them published.
 * Rows are locked with SKIP LOCKED, so several relays never publish the same row at once. The batch
 * is published at once and its confirms awaited together (one confirm round trip per batch, not per
 * message). Delivery is at least once: a crash between publish and commit publishes again, and
 * consumers deduplicate by id. Resolves with how many were published.
 * @throws OutboxPublishError for the first message `publish` rejected; the confirmed ones stay marked published.
 */
export async function publishPendingOutboxMessages(
  db: TransactionalDatabase,
  publish: PublishOutboxEnvelope,
  { batchSize = 100, timeoutMs = 60_000 }: { batchSize?: number; timeoutMs?: number } = {},
): Promise<number> {
  let failure: OutboxPublishError | undefined;
  const published = await db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(PENDING_OUTBOX_ROWS, batchSize);
      const outcomes = await Promise.allSettled(rows.map((row) => publish(toEnvelope(row))));
      const publishedIds: string[] = [];
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') publishedIds.push(rows[i]!.id);
        else failure ??= new OutboxPublishError(rows[i]!.id, outcome.reason);
      });
      if (publishedIds.length > 0) {
        await tx.$executeRawUnsafe(
          `UPDATE outbox SET published_at = now() WHERE id = ANY(string_to_array($1, ',')::uuid[])`,
          publishedIds.join(','),
        );
      }
      return publishedIds.length;
    },
    { timeout: timeoutMs },
  );
  if (failure) throw failure;
  return published;
}

export interface OutboxRelayOptions {
  db: TransactionalDatabase;
  publish: PublishOutboxEnvelope;
  logger: Logger;
  /** How often to look for messages when no notification arrives. */
  pollIntervalMs?: number;
  batchSize?: number;
  /** When given, the relay also LISTENs on this database and publishes as soon as an outbox insert commits. */
  listenOn?: ConnectionOptions;
}

export interface OutboxRelay {
  /** Resolves with whether LISTEN is in place (false without `listenOn`, or when it failed: polling only). */
  listening: Promise<boolean>;
  /** Look for messages now instead of at the next poll. */
  wake(): void;
  /** Resolves when the current batch is finished and the relay's connection is closed. */
  stop(): Promise<void>;
}

/** Publishes the outbox continuously until stopped: on every notification, and every `pollIntervalMs` regardless. */
export function startOutboxRelay({ db, publish, logger, pollIntervalMs = 1000, batchSize = 100, listenOn }: OutboxRelayOptions): OutboxRelay {
  let running = true;
  let wakeUp: () => void = () => {};
  let pendingWake = false;
  const wake = () => {
    pendingWake = true;
    wakeUp();
  };
  const sleep = () =>
    new Promise<void>((resolve) => {
      if (pendingWake || !running) return resolve();
      const timer = setTimeout(resolve, pollIntervalMs);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const listener = listenOn ? listenForOutboxInserts(listenOn, wake, logger) : undefined;
  const loop = (async () => {
    while (running) {
      pendingWake = false;
      try {
        const published = await publishPendingOutboxMessages(db, publish, { batchSize });
        if (published > 0) logger.debug({ published }, 'Outbox messages published');
        if (published === batchSize) continue;
      } catch (error) {
        logger.warn({ err: error }, 'Outbox publishing failed; retrying at the next poll');
      }
      await sleep();
    }
  })();

  return {
    listening: listener ? listener.then((client) => client !== undefined) : Promise.resolve(false),
    wake,
    async stop() {
      running = false;
      wakeUp();
      await loop;
      await (await listener)?.end().catch(() => undefined);
    },
  };
}

async function listenForOutboxInserts(connection: ConnectionOptions, onInsert: () => void, logger: Logger): Promise<pg.Client | undefined> {
  const client = new pg.Client(connection);
  // Polling still runs, so a lost LISTEN connection only delays publishing; it is not fatal.
  client.on('error', (error) => logger.warn({ err: error }, 'Outbox LISTEN connection lost; relying on polling'));
  client.on('notification', onInsert);
  try {
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    return client;
  } catch (error) {
    logger.warn({ err: error }, 'Could not LISTEN for outbox inserts; relying on polling');
    await client.end().catch(() => undefined);
    return undefined;
  }
}
