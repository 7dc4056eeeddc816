import { plainSqlOf, type PlainSql } from '../../../lib/database/index.js';
import type { EventType, Message } from '../../../infra/messaging/index.js';
import { projectEvent, statusEventTypes, type ProjectionChange } from '../domain/order-projection.js';
import { isOrderStatus, type OrderStatus } from '../domain/order-status.js';
import { ORDER_CHANGED_CHANNEL } from './order-change-notifications.js';
import type { OrderDatabase } from './order-database.js';

/** `applied` with the change made; `unknown-order` when no order has the event's id; `duplicate` when the event id was handled before. */
export type ProjectionOutcome = { outcome: 'applied'; change: ProjectionChange } | { outcome: 'unknown-order' } | { outcome: 'duplicate' };

// Every saga event passes through here (several per order), so it is plain SQL on `plainSqlOf(db)`,
// and a batch of events costs the statements of one: lock, inbox and later-event lookup, record.

/** In id order, so two transactions that lock some of the same orders take them in the same order. */
const LOCK_ORDERS = 'SELECT id::text AS id, status FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE';

/**
 * Records the event ids in the inbox, returning those that were new, and reads when each order's
 * latest status event occurred. Run after the lock: a statement that had waited for the lock inside
 * its own snapshot would miss what the holder committed.
 */
const RECEIVE_EVENTS = `
  WITH received AS (
    INSERT INTO inbox (message_id) SELECT unnest($1::text[]) ON CONFLICT (message_id) DO NOTHING RETURNING message_id
  )
  SELECT (SELECT coalesce(array_agg(message_id), '{}') FROM received) AS "received",
         (SELECT coalesce(json_object_agg(order_id, latest), '{}')
          FROM (SELECT order_id::text, max(occurred_at) AS latest FROM order_timeline_entries
                WHERE order_id = ANY($2::uuid[]) AND type = ANY($3::text[]) GROUP BY order_id) AS l) AS "latestStatusEvents"`;

/** Adds the timeline entries, moves the statuses that changed, and signals each changed order on commit. */
const RECORD_CHANGES = `
  WITH entries AS (
    INSERT INTO order_timeline_entries (order_id, type, occurred_at, detail, message_id)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::jsonb[], $5::text[])
  ), moved AS (
    UPDATE orders AS o SET status = m.status, cancellation_reason = COALESCE(m.reason, o.cancellation_reason), updated_at = now()
    FROM unnest($6::uuid[], $7::text[], $8::text[]) AS m (id, status, reason)
    WHERE o.id = m.id
  )
  SELECT pg_notify($9, id) FROM unnest($10::text[]) AS id`;

/** An order as the batch has left it so far: each event sees what the ones before it did. */
interface OrderInBatch {
  status: OrderStatus;
  /** When its latest projected status event occurred (epoch ms). */
  latestStatusEventAt: number;
  moved: boolean;
  cancellationReason: string | null;
  changed: boolean;
}

/** Applies service events to the orders they belong to: once per event id (inbox), one order at a time (row lock). */
export class OrderProjectionRepository {
  private readonly sql: PlainSql;

  constructor(db: OrderDatabase) {
    this.sql = plainSqlOf(db);
  }

  /** Applies the event once per event id; an event for an unknown order is left out of the inbox, as it changes nothing. */
  async apply(message: Message<EventType>): Promise<ProjectionOutcome> {
    const [outcome] = await this.applyAll([message]);
    return outcome!;
  }

  /**
   * Applies the events in one transaction, in their order, with the outcome each would have had
   * applied alone: an event sees the status and the status events that the ones before it left.
   */
  applyAll(messages: Message<EventType>[]): Promise<ProjectionOutcome[]> {
    return this.sql.$transaction(async (tx): Promise<ProjectionOutcome[]> => {
      const orderIds = [...new Set(messages.map((m) => m.correlationId))];
      const locked = await tx.$queryRawUnsafe<{ id: string; status: string }[]>(LOCK_ORDERS, orderIds);
      const orders = new Map<string, OrderInBatch>();
      for (const { id, status } of locked) {
        if (isOrderStatus(status)) orders.set(id, { status, latestStatusEventAt: Number.NEGATIVE_INFINITY, moved: false, cancellationReason: null, changed: false });
      }
      const known = messages.filter((m) => orders.has(m.correlationId));
      if (known.length === 0) return messages.map(() => ({ outcome: 'unknown-order' as const }));

      const [{ received, latestStatusEvents }] = await tx.$queryRawUnsafe<[{ received: string[]; latestStatusEvents: Record<string, string> }]>(
        RECEIVE_EVENTS, [...new Set(known.map((m) => m.id))], [...orders.keys()], statusEventTypes,
      );
      for (const [id, at] of Object.entries(latestStatusEvents)) orders.get(id)!.latestStatusEventAt = Date.parse(at);
      const firstDeliveries = new Set(received);

      const entries: unknown[][] = [[], [], [], [], []];
      const outcomes = messages.map((message): ProjectionOutcome => {
        const order = orders.get(message.correlationId);
        if (!order) return { outcome: 'unknown-order' };
        // A second copy of an event in the same batch is a duplicate like any other.
        if (!firstDeliveries.delete(message.id)) return { outcome: 'duplicate' };
        const occurredAt = Date.parse(message.occurredAt);
        const change = projectEvent({ status: order.status, laterStatusEventProjected: order.latestStatusEventAt > occurredAt }, message);
        if (statusEventTypes.includes(message.type)) order.latestStatusEventAt = Math.max(order.latestStatusEventAt, occurredAt);
        if (change.status) {
          order.status = change.status;
          order.moved = true;
          order.cancellationReason = change.cancellationReason ?? order.cancellationReason;
        }
        order.changed = true;
        [message.correlationId, change.timeline.type, change.timeline.at, JSON.stringify(change.timeline.detail ?? null), message.id].forEach((v, i) => entries[i]!.push(v));
        return { outcome: 'applied', change };
      });

      const changed = [...orders].filter(([, o]) => o.changed);
      if (changed.length > 0) {
        const moved = changed.filter(([, o]) => o.moved);
        await tx.$executeRawUnsafe(
          RECORD_CHANGES,
          ...entries,
          moved.map(([id]) => id), moved.map(([, o]) => o.status), moved.map(([, o]) => o.cancellationReason),
          ORDER_CHANGED_CHANNEL, changed.map(([id]) => id),
        );
      }
      return outcomes;
    });
  }
}
