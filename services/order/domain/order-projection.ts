import type { EventType, Message } from '../../../infra/messaging/index.js';
import { activeStatuses, OrderStatus } from './order-status.js';

/** A status change an event causes, and the statuses it may cause it from. */
interface StatusTransition {
  to: OrderStatus;
  from: readonly OrderStatus[];
}

const { PENDING, AWAITING_CARD_UPDATE, PAID, GOODS_FETCHED } = OrderStatus;

/**
 * The status rules of the order projection. Events arrive at least once and in any order, so an
 * event moves the status only from the statuses listed; from anywhere else it only adds to the
 * timeline. The sets never lead backwards along the checkout (a late `payment.charged` after
 * `shipping.shipped` leaves SHIPPED), and COMPLETED and CANCELLED, which only the process decides
 * (through the `order.complete` / `order.cancel` tasks' events), are final.
 *
 * | Event                  | To                   | From                                          |
 * | ---------------------- | -------------------- | --------------------------------------------- |
 * | `payment.card-expired` | AWAITING_CARD_UPDATE | PENDING                                       |
 * | `payment.card-updated` | PENDING              | AWAITING_CARD_UPDATE                          |
 * | `payment.charged`      | PAID                 | PENDING, AWAITING_CARD_UPDATE                 |
 * | `inventory.reserved`   | GOODS_FETCHED        | PENDING, AWAITING_CARD_UPDATE, PAID           |
 * | `shipping.shipped`     | SHIPPED              | PENDING, AWAITING_CARD_UPDATE, PAID, GOODS_FETCHED |
 * | `order.completed`      | COMPLETED            | any status but COMPLETED, CANCELLED           |
 * | `order.cancelled`      | CANCELLED            | any status but COMPLETED, CANCELLED           |
 * | any other event        | (timeline only)      |                                               |
 *
 * One more guard for the non-final rules: an event does not move the status when an event with a
 * rule occurred later and was already projected (a late `payment.card-expired` arriving after the
 * `payment.card-updated` that answered it must not park the order again).
 */
export const statusTransitions: Partial<Record<EventType, StatusTransition>> = {
  'payment.card-expired': { to: AWAITING_CARD_UPDATE, from: [PENDING] },
  'payment.card-updated': { to: PENDING, from: [AWAITING_CARD_UPDATE] },
  'payment.charged': { to: PAID, from: [PENDING, AWAITING_CARD_UPDATE] },
  'inventory.reserved': { to: GOODS_FETCHED, from: [PENDING, AWAITING_CARD_UPDATE, PAID] },
  'shipping.shipped': { to: OrderStatus.SHIPPED, from: [PENDING, AWAITING_CARD_UPDATE, PAID, GOODS_FETCHED] },
  'order.completed': { to: OrderStatus.COMPLETED, from: activeStatuses },
  'order.cancelled': { to: OrderStatus.CANCELLED, from: activeStatuses },
};

/** Event types whose rule applies even when a later event was already projected: the process's outcome. */
const finalEventTypes: readonly EventType[] = ['order.completed', 'order.cancelled'];

/** Event types with a status rule: the ones whose order in time matters. */
export const statusEventTypes = Object.keys(statusTransitions) as EventType[];

/** Timeline types the Order service records itself, next to the event types it projects. */
export const OrderTimelineType = {
  ORDER_PLACED: 'order.placed',
  CHECKOUT_STARTED: 'checkout.started',
  CANCEL_REQUESTED: 'order.cancel-requested',
} as const;

export interface TimelineEntry {
  type: string;
  at: Date;
  detail: Record<string, unknown>;
}

export interface ProjectionInput {
  status: OrderStatus;
  /**
   * Whether an event with a status rule that occurred after this one was already projected; only
   * read when `laterStatusEventDecides` says so, so a caller may skip the lookup otherwise.
   */
  laterStatusEventProjected: boolean;
}

export interface ProjectionChange {
  /** The new status, when the event moves it. */
  status?: OrderStatus;
  cancellationReason?: string;
  timeline: TimelineEntry;
}

/** Whether the event would move an order in this status unless a later status event was already projected. */
export function laterStatusEventDecides(status: OrderStatus, type: EventType): boolean {
  const transition = statusTransitions[type];
  return transition !== undefined && transition.from.includes(status) && !finalEventTypes.includes(type);
}

/** What one event does to an order: pure, so the rules are tested without a database. */
export function projectEvent(order: ProjectionInput, message: Message<EventType>): ProjectionChange {
  const timeline: TimelineEntry = { type: message.type, at: new Date(message.occurredAt), detail: timelineDetail(message) };
  const transition = statusTransitions[message.type];
  if (!transition || !transition.from.includes(order.status)) return { timeline };
  if (order.laterStatusEventProjected && laterStatusEventDecides(order.status, message.type)) return { timeline };
  if (message.type === 'order.cancelled') return { status: transition.to, cancellationReason: message.payload.reason, timeline };
  return { status: transition.to, timeline };
}

/** The payload without what the order already knows (its id) or what need not be shown (the card token). */
function timelineDetail(message: Message<EventType>): Record<string, unknown> {
  const { orderId: _orderId, cardToken: _cardToken, ...detail } = message.payload as Record<string, unknown>;
  return detail;
}
