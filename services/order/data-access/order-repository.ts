import type { Money, OrderItem, ShippingAddress } from '../../../infra/messaging/index.js';
import { plainSqlOf, type PlainSql } from '../../../lib/database/index.js';
import { OrderflowError } from '../../../lib/errors.js';
import { IdempotencyConflictError } from '../domain/errors.js';
import { OrderTimelineType } from '../domain/order-projection.js';
import { OrderStatus } from '../domain/order-status.js';
import type { PricedItem } from '../domain/price-order.js';
import type { CancelRequester } from '../domain/cancel-order.js';
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

/** Reads for an operator: an order of any customer. */
export const ANY_CUSTOMER: unique symbol = Symbol('any customer');
/** Whose order a read may find: the customer's id, or {@link ANY_CUSTOMER}. */
export type OrderOwner = string | typeof ANY_CUSTOMER;

export interface OrderView {
  orderId: string;
  customerId: string;
  status: string;
  total: Money;
  items: (OrderItem & { unitPrice: Money })[];
  shippingAddress: ShippingAddress;
  /** The customer's card the order is charged to: the one `PUT /cards/:token` updates while the order awaits a card update. */
  cardToken: string;
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

/**
 * Placing an order, the Order service's hottest write, as one statement of plain SQL (Prisma's model
 * queries cost about three times the CPU of its raw ones, and this saves a transaction).
 */
const CREATE_ORDER = `
  WITH keyed AS (
    INSERT INTO idempotency_keys (key, request_hash, order_id) VALUES ($1, $2, gen_random_uuid())
    ON CONFLICT (key) DO NOTHING RETURNING order_id
  ), placed AS (
    INSERT INTO orders (id, customer_id, status, total_amount, currency, card_token, shipping_address, updated_at)
    SELECT order_id, $3, $4, $5, $6, $7, $8::jsonb, now() FROM keyed RETURNING id
  ), lines AS (
    INSERT INTO order_items (order_id, sku, quantity, unit_price_amount, currency)
    SELECT placed.id, line.sku, line.quantity, line.unit_price_amount, line.currency
    FROM placed, unnest($9::text[], $10::int[], $11::int[], $12::text[]) AS line(sku, quantity, unit_price_amount, currency)
  ), timeline AS (
    INSERT INTO order_timeline_entries (order_id, type, occurred_at, detail) SELECT id, $13, clock_timestamp(), $14::jsonb FROM placed
  )
  SELECT id::text AS "orderId" FROM placed`;

/** Orders, their items, idempotency keys and timelines. */
export class OrderRepository {
  /** Placement runs on every order: plain SQL on the client's pool. */
  private readonly sql: PlainSql;

  constructor(private readonly db: OrderDatabase) {
    this.sql = plainSqlOf(db);
  }

  /**
   * Creates the order (PENDING, no process instance yet: that is the pending-start marker the
   * checkout starter picks up) with its items and first timeline entry, or returns the order the key
   * already made. One statement, so all or nothing without a transaction: the key is inserted first
   * and everything else hangs off the order id it returns. A concurrent request with the same key
   * waits on the key's index, inserts nothing, and finds the winner's order.
   * @throws IdempotencyConflictError when the key was used with another request.
   */
  async create(order: NewOrder): Promise<{ created: boolean; orderId: string }> {
    const [row] = await this.sql.$queryRawUnsafe<{ orderId: string }[]>(
      CREATE_ORDER,
      order.idempotencyKey,
      order.requestHash,
      order.customerId,
      OrderStatus.PENDING,
      order.total.amount,
      order.total.currency,
      order.cardToken,
      JSON.stringify(order.shippingAddress),
      order.items.map((item) => item.sku),
      order.items.map((item) => item.quantity),
      order.items.map((item) => item.unitPrice.amount),
      order.items.map((item) => item.unitPrice.currency),
      OrderTimelineType.ORDER_PLACED,
      JSON.stringify({ total: order.total }),
    );
    if (row) return { created: true, orderId: row.orderId };
    const winner = await this.findByIdempotencyKey(order.idempotencyKey, order.requestHash);
    if (!winner) throw new OrderflowError('IDEMPOTENCY_KEY_WITHOUT_ORDER', `Expected the order of idempotency key ${order.idempotencyKey} to exist after a conflict, but it does not`, { idempotencyKey: order.idempotencyKey });
    return { created: false, orderId: winner };
  }

  /** @throws IdempotencyConflictError when the key exists with another request hash. */
  private async findByIdempotencyKey(key: string, requestHash: string): Promise<string | undefined> {
    const [row] = await this.sql.$queryRawUnsafe<{ requestHash: string; orderId: string }[]>(
      'SELECT request_hash AS "requestHash", order_id::text AS "orderId" FROM idempotency_keys WHERE key = $1',
      key,
    );
    if (!row) return undefined;
    if (row.requestHash !== requestHash) throw new IdempotencyConflictError(row.orderId);
    return row.orderId;
  }

  /** The status and total of the customer's order, as the answer to placing it gives them: one plain query, on every placement. */
  async findStatus(orderId: string, customerId: string): Promise<Pick<OrderView, 'status' | 'total'> | undefined> {
    const [row] = await this.sql.$queryRawUnsafe<{ status: string; amount: number; currency: string }[]>(
      'SELECT status, total_amount AS amount, currency FROM orders WHERE id = $1::uuid AND customer_id = $2',
      orderId,
      customerId,
    );
    return row && { status: row.status, total: { amount: row.amount, currency: row.currency } };
  }

  /**
   * The order with its items and timeline (oldest first); undefined when unknown, not a UUID, or not
   * `owner`'s: one query either way, so the answer and its timing do not tell them apart.
   */
  async findView(orderId: string, owner: OrderOwner): Promise<OrderView | undefined> {
    if (!uuidPattern.test(orderId)) return undefined;
    const row = await this.db.order.findFirst({
      where: owner === ANY_CUSTOMER ? { id: orderId } : { id: orderId, customerId: owner },
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
      cardToken: row.cardToken,
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

  /** Records on the order's timeline that its customer or an operator asked to cancel. */
  async recordCancelRequested(orderId: string, requestedBy: CancelRequester): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.orderTimelineEntry.create({ data: { orderId, type: OrderTimelineType.CANCEL_REQUESTED, occurredAt: new Date(), detail: { requestedBy } } });
      await notifyOrderChanged(tx, orderId);
    });
  }
}
