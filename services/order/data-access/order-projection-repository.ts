import { plainSqlOf, type PlainSql } from '../../../lib/database/index.js';
import type { EventType, Message } from '../../../infra/messaging/index.js';
import { laterStatusEventDecides, projectEvent, statusEventTypes, type ProjectionChange } from '../domain/order-projection.js';
import { isOrderStatus } from '../domain/order-status.js';
import { ORDER_CHANGED_CHANNEL } from './order-change-notifications.js';
import type { OrderDatabase } from './order-database.js';

/** `applied` with the change made; `unknown-order` when no order has the event's id; `duplicate` when the event id was handled before. */
export type ProjectionOutcome = { outcome: 'applied'; change: ProjectionChange } | { outcome: 'unknown-order' } | { outcome: 'duplicate' };

// Every saga event passes through here (several per order), so it is plain SQL on `plainSqlOf(db)`,
// in as few statements as the checks allow: lock, inbox and later-event check, record.

const LOCK_ORDER = 'SELECT status FROM orders WHERE id = $1::uuid FOR UPDATE';

/**
 * Records the event id in the inbox and, when $2 asks for it, whether a status event that happened
 * later is already projected. Run after the lock: every delivery of an event is for the same order,
 * so the lock serializes them and the inbox insert never waits; and a statement that had waited for
 * the lock inside its own snapshot would miss what the holder committed.
 */
const RECEIVE_EVENT = `
  WITH received AS (
    INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT (message_id) DO NOTHING RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM received) AS "firstDelivery",
         CASE WHEN $2::boolean
              THEN EXISTS (SELECT 1 FROM order_timeline_entries
                           WHERE order_id = $3::uuid AND type = ANY($4::text[]) AND occurred_at > $5::timestamptz)
              ELSE false END AS "later"`;

/** Adds the timeline entry, moves the status when $6 is given, and signals the change on commit. */
const RECORD_CHANGE = `
  WITH entry AS (
    INSERT INTO order_timeline_entries (order_id, type, occurred_at, detail, message_id)
    VALUES ($1::uuid, $2, $3::timestamptz, $4::jsonb, $5)
  ), moved AS (
    UPDATE orders SET status = $6, cancellation_reason = COALESCE($7, cancellation_reason), updated_at = now()
    WHERE id = $1::uuid AND $6::text IS NOT NULL
  )
  SELECT pg_notify($8, $1::text)`;

/** Applies service events to the orders they belong to: once per event id (inbox), one order at a time (row lock). */
export class OrderProjectionRepository {
  private readonly sql: PlainSql;

  constructor(db: OrderDatabase) {
    this.sql = plainSqlOf(db);
  }

  /** Applies the event once per event id; an event for an unknown order is left out of the inbox, as it changes nothing. */
  apply(message: Message<EventType>): Promise<ProjectionOutcome> {
    return this.sql.$transaction(async (tx): Promise<ProjectionOutcome> => {
      const orderId = message.correlationId;
      // The lock orders concurrent deliveries for the same order, so the status check and update see each other.
      const [order] = await tx.$queryRawUnsafe<{ status: string }[]>(LOCK_ORDER, orderId);
      if (!order || !isOrderStatus(order.status)) return { outcome: 'unknown-order' };
      const [received] = await tx.$queryRawUnsafe<[{ firstDelivery: boolean; later: boolean }]>(
        RECEIVE_EVENT, message.id, laterStatusEventDecides(order.status, message.type), orderId, statusEventTypes, message.occurredAt,
      );
      if (!received.firstDelivery) return { outcome: 'duplicate' };
      const change = projectEvent({ status: order.status, laterStatusEventProjected: received.later }, message);
      await tx.$executeRawUnsafe(
        RECORD_CHANGE,
        orderId,
        change.timeline.type,
        change.timeline.at,
        JSON.stringify(change.timeline.detail ?? null),
        message.id,
        change.status ?? null,
        change.cancellationReason ?? null,
        ORDER_CHANGED_CHANNEL,
      );
      return { outcome: 'applied', change };
    });
  }
}
