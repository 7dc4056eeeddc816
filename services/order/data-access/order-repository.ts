import type { Money, OrderItem, ShippingAddress } from '../../../infra/messaging/index.js';
import { IdempotencyConflictError } from '../domain/errors.js';
import { OrderTimelineType } from '../domain/order-projection.js';
import { OrderStatus } from '../domain/order-status.js';
import type { PricedItem } from '../domain/price-order.js';
import { Prisma } from './generated/index.js';
import { notifyOrderChanged } from './order-change-notifications.js';
import type { OrderDatabase } from './order-database.js';

export interface NewOrder {
  idempotencyKey: string;
  /** A hash of the request the key came with. */
  requestHash: string;
  customerId: string;
  items: PricedItem[];
  total: Money;
  cardToken: string;
  shippingAddress: ShippingAddress;
}

export interface OrderView {
  orderId: string;
  customerId: string;
  status: string;
  total: Money;
  items: (OrderItem & { unitPrice: Money })[];
  shippingAddress: ShippingAddress;
  processInstanceKey: string | null;
  cancellationReason: string | null;
  createdAt: string;
  timeline: TimelineEntryView[];
}

export interface TimelineEntryView {
  /** Stable across reads, so a live view can tell the entries it has already shown. */
  id: string;
  at: string;
  type: string;
  detail: unknown;
}

export interface OrderSummary {
  orderId: string;
  customerId: string;
  status: string;
  total: Money;
  createdAt: string;
}

export interface OrderQuery {
  status?: string;
  customerId: string;
  page: number;
  pageSize: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Orders, their items, idempotency keys and timelines. */
export class OrderRepository {
  constructor(private readonly db: OrderDatabase) {}

  /**
   * Creates the order (PENDING, no process instance yet: that is the pending-start marker the
   * checkout starter picks up) with its first timeline entry, or returns the order the key already made.
   * @throws IdempotencyConflictError when the key was used with another request.
   */
  async create(order: NewOrder): Promise<{ created: boolean; orderId: string }> {
    const existing = await this.findByIdempotencyKey(order.idempotencyKey, order.requestHash);
    if (existing) return { created: false, orderId: existing };
    try {
      const orderId = await this.db.$transaction(async (tx) => {
        const created = await tx.order.create({
          data: {
            customerId: order.customerId,
            status: OrderStatus.PENDING,
            totalAmount: order.total.amount,
            currency: order.total.currency,
            cardToken: order.cardToken,
            shippingAddress: order.shippingAddress,
            items: { create: order.items.map((item) => ({ sku: item.sku, quantity: item.quantity, unitPriceAmount: item.unitPrice.amount, currency: item.unitPrice.currency })) },
            timeline: { create: { type: OrderTimelineType.ORDER_PLACED, occurredAt: new Date(), detail: { total: order.total } } },
          },
        });
        // Inserted after the order: a concurrent request with the same key waits here on the key's index, then fails.
        await tx.idempotencyKey.create({ data: { key: order.idempotencyKey, requestHash: order.requestHash, orderId: created.id } });
        return created.id;
      });
      return { created: true, orderId };
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
      const winner = await this.findByIdempotencyKey(order.idempotencyKey, order.requestHash);
      if (!winner) throw error;
      return { created: false, orderId: winner };
    }
  }

  /** @throws IdempotencyConflictError when the key exists with another request hash. */
  private async findByIdempotencyKey(key: string, requestHash: string): Promise<string | undefined> {
    const row = await this.db.idempotencyKey.findUnique({ where: { key } });
    if (!row) return undefined;
    if (row.requestHash !== requestHash) throw new IdempotencyConflictError(row.orderId);
    return row.orderId;
  }

  /**
   * The customer's order with its items and timeline (oldest first); undefined when unknown, not a
   * UUID, or another customer's: one query either way, so the answer and its timing do not tell them apart.
   */
  async findView(orderId: string, customerId: string): Promise<OrderView | undefined> {
    if (!uuidPattern.test(orderId)) return undefined;
    const row = await this.db.order.findFirst({
      where: { id: orderId, customerId },
      include: { items: { orderBy: { sku: 'asc' } }, timeline: { orderBy: [{ occurredAt: 'asc' }, { recordedAt: 'asc' }] } },
    });
    if (!row) return undefined;
    return {
      orderId: row.id,
      customerId: row.customerId,
      status: row.status,
      total: { amount: row.totalAmount, currency: row.currency },
      items: row.items.map((item) => ({ sku: item.sku, quantity: item.quantity, unitPrice: { amount: item.unitPriceAmount, currency: item.currency } })),
      shippingAddress: row.shippingAddress as unknown as ShippingAddress,
      processInstanceKey: row.processInstanceKey,
      cancellationReason: row.cancellationReason,
      createdAt: row.createdAt.toISOString(),
      timeline: row.timeline.map((entry) => ({ id: entry.id, at: entry.occurredAt.toISOString(), type: entry.type, detail: entry.detail ?? {} })),
    };
  }

  /** A page of the customer's orders, newest first. */
  async list(query: OrderQuery): Promise<{ items: OrderSummary[]; total: number }> {
    const where = { customerId: query.customerId, ...(query.status ? { status: query.status } : {}) };
    const [rows, total] = await this.db.$transaction([
      this.db.order.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
      this.db.order.count({ where }),
    ]);
    const items = rows.map((row) => ({
      orderId: row.id,
      customerId: row.customerId,
      status: row.status,
      total: { amount: row.totalAmount, currency: row.currency },
      createdAt: row.createdAt.toISOString(),
    }));
    return { items, total };
  }

  /** Records that the customer asked to cancel, on the order's timeline. */
  async recordCancelRequested(orderId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.orderTimelineEntry.create({ data: { orderId, type: OrderTimelineType.CANCEL_REQUESTED, occurredAt: new Date(), detail: {} } });
      await notifyOrderChanged(tx, orderId);
    });
  }
}
