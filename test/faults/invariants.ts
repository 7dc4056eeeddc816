/**
 * What must hold after any fault, read from where each fact lives: each service's own database (its
 * data-access client), the engine's open incidents, and the broker's queues. Each check says what it
 * expected and what it found, naming the first orders that break it.
 */
import type { SystemUnderTest } from '../../scripts/system/index.js';
import { createInventoryDatabase } from '../../services/inventory/data-access/inventory-database.js';
import { ReservationStatus } from '../../services/inventory/domain/order-outcome.js';
import { createOrderDatabase } from '../../services/order/data-access/order-database.js';
import { createPaymentDatabase } from '../../services/payment/data-access/payment-database.js';
import { PaymentStatus, PaymentType } from '../../services/payment/domain/payment-status.js';
import { createShippingDatabase } from '../../services/shipping/data-access/shipping-database.js';
import { ShipmentStatus } from '../../services/shipping/domain/shipment-status.js';
import { isDeadLetterQueue, type BrokerProbe } from './broker-probe.js';
import type { EngineProbe } from './engine-probe.js';
import { expectedOutcomes, type ExpectedOutcome, type OrderPath, type PlacedStreamOrder } from './order-stream.js';

export const Invariant = {
  FINISHED: 'every order COMPLETED or CANCELLED',
  OUTCOME: 'each order ends as its path allows',
  MONEY: 'charged − refunded = total (completed) or 0 (cancelled)',
  STOCK: 'stock conserved: initial = available + picked by the stream',
  SHIPMENTS: 'at most one shipment per order, one for each completed order',
  INCIDENTS: 'no incident open but those expected',
  QUEUES: 'no message ready or unacked outside dead-letter queues',
  DEAD_LETTERS: 'dead-letter queues hold only the injected poison',
  CUSTOMER: "every customer's action was taken",
} as const;
export type Invariant = (typeof Invariant)[keyof typeof Invariant];

export interface InvariantResult {
  /** One of {@link Invariant}, or a fault's own promise. */
  invariant: string;
  held: boolean;
  /** What was found when it did not hold; a summary when it did. */
  detail: string;
}

export interface InvariantInputs {
  system: SystemUnderTest;
  engine: EngineProbe;
  broker: BrokerProbe;
  orders: readonly PlacedStreamOrder[];
  /** Available units per SKU right before the stream. */
  initialStock: Record<string, number>;
  /** Paths whose outcome the fault legitimately changes (a two-week clock jump cancels a card wait). */
  outcomeOverrides?: Partial<Record<OrderPath, ExpectedOutcome>>;
  /** Incidents the scenario leaves open on purpose; none unless given. */
  expectedOpenIncidents?: number;
  /** Message ids the scenario injected as poison: exactly these belong in dead-letter queues. */
  injectedPoisonIds?: readonly string[];
}

const sample = (items: readonly string[], count = 3) => `${items.slice(0, count).join('; ')}${items.length > count ? ` (+${items.length - count} more)` : ''}`;
const verdict = (invariant: Invariant, problems: string[], summary: string): InvariantResult => ({ invariant, held: problems.length === 0, detail: problems.length === 0 ? summary : sample(problems) });

/** Reads everything once and judges every invariant. */
export async function checkInvariants(inputs: InvariantInputs): Promise<InvariantResult[]> {
  const orderIds = inputs.orders.map((order) => order.orderId);
  const [statuses, money, stock, shipments] = await Promise.all([readStatuses(inputs.system, orderIds), readMoney(inputs.system, orderIds), readStock(inputs.system), readShipments(inputs.system, orderIds)]);
  const finalOf = (orderId: string) => statuses.get(orderId);
  return [
    checkFinished(inputs.orders, finalOf),
    checkOutcomes(inputs, finalOf),
    checkMoney(inputs.orders, finalOf, money),
    checkStock(inputs, finalOf, stock),
    checkShipments(inputs.orders, finalOf, shipments),
    checkIncidents(inputs),
    ...(await checkQueues(inputs)),
    verdict(Invariant.CUSTOMER, inputs.orders.filter((order) => order.customerActionError).map((order) => order.customerActionError!), 'all taken'),
  ];
}

type OrderState = { status: string; cancellationReason: string | null };

async function readStatuses(system: SystemUnderTest, orderIds: string[]): Promise<Map<string, OrderState>> {
  const db = createOrderDatabase(system.database);
  try {
    const rows = await db.order.findMany({ where: { id: { in: orderIds } }, select: { id: true, status: true, cancellationReason: true } });
    return new Map(rows.map((row) => [row.id, { status: row.status, cancellationReason: row.cancellationReason }]));
  } finally {
    await db.$disconnect();
  }
}

/** Net money per order: succeeded charges minus succeeded refunds, and the count of succeeded charges. */
async function readMoney(system: SystemUnderTest, orderIds: string[]): Promise<Map<string, { net: number; charges: number }>> {
  const db = createPaymentDatabase(system.database);
  try {
    const rows = await db.payment.findMany({ where: { orderId: { in: orderIds }, status: PaymentStatus.SUCCEEDED }, select: { orderId: true, type: true, amount: true } });
    const money = new Map<string, { net: number; charges: number }>();
    for (const row of rows) {
      const entry = money.get(row.orderId) ?? { net: 0, charges: 0 };
      entry.net += row.type === PaymentType.CHARGE ? row.amount : -row.amount;
      if (row.type === PaymentType.CHARGE) entry.charges += 1;
      money.set(row.orderId, entry);
    }
    return money;
  } finally {
    await db.$disconnect();
  }
}

interface StockState {
  available: Map<string, number>;
  /** Picked units per order and SKU. */
  picked: Map<string, Map<string, number>>;
}

async function readStock(system: SystemUnderTest): Promise<StockState> {
  const db = createInventoryDatabase(system.database);
  try {
    const [items, reservations] = await Promise.all([db.stockItem.findMany(), db.reservation.findMany({ where: { status: ReservationStatus.PICKED } })]);
    const picked = new Map<string, Map<string, number>>();
    for (const reservation of reservations) {
      const perSku = picked.get(reservation.orderId) ?? new Map<string, number>();
      perSku.set(reservation.sku, (perSku.get(reservation.sku) ?? 0) + reservation.quantity);
      picked.set(reservation.orderId, perSku);
    }
    return { available: new Map(items.map((item) => [item.sku, item.available])), picked };
  } finally {
    await db.$disconnect();
  }
}

async function readShipments(system: SystemUnderTest, orderIds: string[]): Promise<Map<string, string[]>> {
  const db = createShippingDatabase(system.database);
  try {
    const rows = await db.shipment.findMany({ where: { orderId: { in: orderIds } }, select: { orderId: true, status: true } });
    const shipments = new Map<string, string[]>();
    for (const row of rows) shipments.set(row.orderId, [...(shipments.get(row.orderId) ?? []), row.status]);
    return shipments;
  } finally {
    await db.$disconnect();
  }
}

type FinalOf = (orderId: string) => OrderState | undefined;

function checkFinished(orders: readonly PlacedStreamOrder[], finalOf: FinalOf): InvariantResult {
  const problems = orders.filter((order) => !['COMPLETED', 'CANCELLED'].includes(finalOf(order.orderId)?.status ?? '')).map((order) => `${order.orderId} (${order.path}) is ${finalOf(order.orderId)?.status ?? 'missing'}`);
  return verdict(Invariant.FINISHED, problems, `${orders.length} finished`);
}

function checkOutcomes(inputs: InvariantInputs, finalOf: FinalOf): InvariantResult {
  const problems: string[] = [];
  for (const order of inputs.orders) {
    const expected = inputs.outcomeOverrides?.[order.path] ?? expectedOutcomes[order.path];
    const final = finalOf(order.orderId);
    if (!final) continue;
    const statusFits = (expected.statuses as readonly string[]).includes(final.status);
    const reasonFits = final.status !== 'CANCELLED' || expected.cancellationReasons.includes(final.cancellationReason ?? '');
    if (!statusFits || !reasonFits) problems.push(`${order.orderId} (${order.path}) ended ${final.status}${final.cancellationReason ? `/${final.cancellationReason}` : ''}, expected ${expected.statuses.join('|')}`);
  }
  const completed = inputs.orders.filter((order) => finalOf(order.orderId)?.status === 'COMPLETED').length;
  return verdict(Invariant.OUTCOME, problems, `${completed} completed, ${inputs.orders.length - completed} cancelled`);
}

function checkMoney(orders: readonly PlacedStreamOrder[], finalOf: FinalOf, money: Map<string, { net: number; charges: number }>): InvariantResult {
  const problems: string[] = [];
  for (const order of orders) {
    const { net, charges } = money.get(order.orderId) ?? { net: 0, charges: 0 };
    const expected = finalOf(order.orderId)?.status === 'COMPLETED' ? order.total.amount : 0;
    if (net !== expected) problems.push(`${order.orderId} (${order.path}, ${finalOf(order.orderId)?.status}) nets ${net}, expected ${expected}`);
    if (charges > 1) problems.push(`${order.orderId} has ${charges} succeeded charges`);
  }
  return verdict(Invariant.MONEY, problems, 'balanced');
}

function checkStock(inputs: InvariantInputs, finalOf: FinalOf, stock: StockState): InvariantResult {
  const problems: string[] = [];
  // Only this stream's orders: earlier scenarios on the same system had finished when the stock was counted.
  const pickedBySku = new Map<string, number>();
  for (const order of inputs.orders) for (const [sku, units] of stock.picked.get(order.orderId) ?? []) pickedBySku.set(sku, (pickedBySku.get(sku) ?? 0) + units);
  for (const [sku, initial] of Object.entries(inputs.initialStock)) {
    const now = (stock.available.get(sku) ?? 0) + (pickedBySku.get(sku) ?? 0);
    if (now !== initial) problems.push(`${sku}: initial ${initial} ≠ available ${stock.available.get(sku)} + picked ${pickedBySku.get(sku) ?? 0}`);
  }
  for (const order of inputs.orders) {
    const picked = stock.picked.get(order.orderId);
    const completed = finalOf(order.orderId)?.status === 'COMPLETED';
    if (!completed && picked) problems.push(`${order.orderId} (${order.path}, not completed) still holds ${JSON.stringify(Object.fromEntries(picked))}`);
    if (completed && order.items.some((item) => picked?.get(item.sku) !== item.quantity)) problems.push(`${order.orderId} completed but picked ${JSON.stringify(Object.fromEntries(picked ?? []))}`);
  }
  return verdict(Invariant.STOCK, problems, 'conserved');
}

function checkShipments(orders: readonly PlacedStreamOrder[], finalOf: FinalOf, shipments: Map<string, string[]>): InvariantResult {
  const problems: string[] = [];
  for (const order of orders) {
    const found = shipments.get(order.orderId) ?? [];
    if (found.length > 1) problems.push(`${order.orderId} has ${found.length} shipments`);
    const shipped = found.filter((status) => status === ShipmentStatus.SHIPPED).length;
    const completed = finalOf(order.orderId)?.status === 'COMPLETED';
    if (completed !== (shipped === 1)) problems.push(`${order.orderId} is ${finalOf(order.orderId)?.status} with ${shipped} shipped parcel(s)`);
  }
  return verdict(Invariant.SHIPMENTS, problems, 'one per completed order');
}

function checkIncidents(inputs: InvariantInputs): InvariantResult {
  const open = inputs.engine.openIncidents();
  const expected = inputs.expectedOpenIncidents ?? 0;
  const problems = open.length === expected ? [] : [`expected ${expected} open, found ${open.length}: ${sample(open.map((incident) => `${incident.elementId} ${incident.errorType}: ${incident.errorMessage.slice(0, 120)}`))}`];
  return verdict(Invariant.INCIDENTS, problems, `${open.length} open`);
}

async function checkQueues(inputs: InvariantInputs): Promise<InvariantResult[]> {
  const depths = await inputs.broker.queueDepths();
  const busy = depths.filter((queue) => !isDeadLetterQueue(queue.name) && (queue.ready > 0 || queue.unacknowledged > 0));
  const queues = verdict(Invariant.QUEUES, busy.map((queue) => `${queue.name}: ${queue.ready} ready, ${queue.unacknowledged} unacked`), `${depths.length} queues drained`);
  const parked = await inputs.broker.deadLettered(depths.map((queue) => queue.name));
  const injected = new Set(inputs.injectedPoisonIds ?? []);
  const stray = parked.filter((message) => !injected.has(message.messageId ?? ''));
  const parkedIds = new Set(parked.map((message) => message.messageId));
  const missing = [...injected].filter((id) => !parkedIds.has(id));
  const problems = [...stray.map((message) => `unexpected ${message.code} ${message.messageId} in ${message.queue}`), ...missing.map((id) => `injected ${id} not dead-lettered`)];
  return [queues, verdict(Invariant.DEAD_LETTERS, problems, `${parked.length} parked, all injected`)];
}
