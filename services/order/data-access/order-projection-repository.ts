import { handleOnce } from '../../../lib/database/index.js';
import type { EventType, Message } from '../../../infra/messaging/index.js';
import { projectEvent, statusEventTypes, type ProjectionChange } from '../domain/order-projection.js';
import { isOrderStatus } from '../domain/order-status.js';
import { notifyOrderChanged } from './order-change-notifications.js';
import type { OrderDatabase } from './order-database.js';

/** `applied` with the change made; `unknown-order` when no order has the event's id; `duplicate` when the event id was handled before. */
export type ProjectionOutcome = { outcome: 'applied'; change: ProjectionChange } | { outcome: 'unknown-order' } | { outcome: 'duplicate' };

/** Applies service events to the orders they belong to: once per event id (inbox), one order at a time (row lock). */
export class OrderProjectionRepository {
  constructor(private readonly db: OrderDatabase) {}

  async apply(message: Message<EventType>): Promise<ProjectionOutcome> {
    const result = await handleOnce(this.db, message.id, async (tx): Promise<ProjectionOutcome> => {
      const orderId = message.correlationId;
      // The lock orders concurrent deliveries for the same order, so the status check and update see each other.
      const [order] = await tx.$queryRawUnsafe<{ status: string }[]>('SELECT status FROM orders WHERE id = $1::uuid FOR UPDATE', orderId);
      if (!order || !isOrderStatus(order.status)) return { outcome: 'unknown-order' };
      const laterStatusEventProjected = await tx.orderTimelineEntry.count({
        where: { orderId, type: { in: statusEventTypes }, occurredAt: { gt: new Date(message.occurredAt) } },
      });
      const change = projectEvent({ status: order.status, laterStatusEventProjected: laterStatusEventProjected > 0 }, message);
      await tx.orderTimelineEntry.create({
        data: { orderId, type: change.timeline.type, occurredAt: change.timeline.at, detail: change.timeline.detail as object, messageId: message.id },
      });
      if (change.status) {
        await tx.order.update({
          where: { id: orderId },
          data: { status: change.status, ...(change.cancellationReason ? { cancellationReason: change.cancellationReason } : {}) },
        });
      }
      await notifyOrderChanged(tx, orderId);
      return { outcome: 'applied', change };
    });
    return result.outcome === 'duplicate' ? { outcome: 'duplicate' } : result.result;
  }
}
