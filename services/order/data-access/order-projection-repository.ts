import { handleOnce, plainSqlOf, type PlainSql } from '../../../lib/database/index.js';
import type { EventType, Message } from '../../../infra/messaging/index.js';
import { projectEvent, statusEventTypes, type ProjectionChange } from '../domain/order-projection.js';
import { isOrderStatus } from '../domain/order-status.js';
import { ORDER_CHANGED_CHANNEL } from './order-change-notifications.js';
import type { OrderDatabase } from './order-database.js';

/** `applied` with the change made; `unknown-order` when no order has the event's id; `duplicate` when the event id was handled before. */
export type ProjectionOutcome = { outcome: 'applied'; change: ProjectionChange } | { outcome: 'unknown-order' } | { outcome: 'duplicate' };

// Every saga event passes through here (several per order), so it is plain SQL on `plainSqlOf(db)`.

const LOCK_ORDER = 'SELECT status FROM orders WHERE id = $1::uuid FOR UPDATE';

/**
 * Whether a status event that happened later is already projected. A statement of its own, after the
 * lock: one that waited for the lock inside its own snapshot would miss what the holder committed.
 */
const LATER_STATUS_EVENT_PROJECTED = `
  SELECT EXISTS (SELECT 1 FROM order_timeline_entries
                 WHERE order_id = $1::uuid AND type = ANY($2::text[]) AND occurred_at > $3::timestamptz) AS "later"`;

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

  async apply(message: Message<EventType>): Promise<ProjectionOutcome> {
    const result = await handleOnce(this.sql, message.id, async (tx): Promise<ProjectionOutcome> => {
      const orderId = message.correlationId;
      // The lock orders concurrent deliveries for the same order, so the status check and update see each other.
      const [order] = await tx.$queryRawUnsafe<{ status: string }[]>(LOCK_ORDER, orderId);
      if (!order || !isOrderStatus(order.status)) return { outcome: 'unknown-order' };
      const [{ later }] = await tx.$queryRawUnsafe<[{ later: boolean }]>(LATER_STATUS_EVENT_PROJECTED, orderId, statusEventTypes, message.occurredAt);
      const change = projectEvent({ status: order.status, laterStatusEventProjected: later }, message);
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
    return result.outcome === 'duplicate' ? { outcome: 'duplicate' } : result.result;
  }
}
