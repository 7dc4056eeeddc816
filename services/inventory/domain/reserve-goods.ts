import type { OutboxWriter } from '../../../lib/database/index.js';
import type { Message, OrderItem } from '../../../infra/messaging/index.js';
import type { ReservationRepository } from '../data-access/reservation-repository.js';
import { decideReservation, mergeItems, type Shortfall } from './decide-reservation.js';
import { OrderOutcomeStatus } from './order-outcome.js';

/** What a reserve command came to; `replayed` when the order had been decided by an earlier command. */
export type ReserveGoodsResult =
  | { outcome: 'reserved'; lines: OrderItem[]; replayed: boolean }
  | { outcome: 'out-of-stock'; unavailable: Shortfall[]; replayed: boolean }
  /** A release came first (the order was cancelled): nothing is reserved and nothing is published. */
  | { outcome: 'ignored-after-release' };

/**
 * `inventory.reserve`: reserves and picks every item or none, and enqueues `inventory.reserved` or
 * `inventory.out-of-stock` in the same transaction. The first decision per order is final: a re-sent
 * command publishes the same outcome again without touching stock. The caller handles one command per
 * order at a time (`handleOnce`'s `serializeOn`).
 */
export async function reserveGoods(
  reservations: ReservationRepository,
  outbox: OutboxWriter,
  command: Message<'inventory.reserve'>,
): Promise<ReserveGoodsResult> {
  const { orderId } = command.payload;
  const previous = await reservations.findOutcome(orderId);
  if (previous?.status === OrderOutcomeStatus.RELEASED) return { outcome: 'ignored-after-release' };

  let result: ReserveGoodsResult;
  if (previous?.status === OrderOutcomeStatus.RESERVED) {
    result = { outcome: 'reserved', lines: await reservations.pickedLines(orderId), replayed: true };
  } else if (previous?.status === OrderOutcomeStatus.OUT_OF_STOCK) {
    result = { outcome: 'out-of-stock', unavailable: previous.unavailable, replayed: true };
  } else {
    result = await decideAndApply(reservations, orderId, command.payload.items);
  }
  await enqueueOutcome(outbox, command, result);
  return result;
}

async function decideAndApply(reservations: ReservationRepository, orderId: string, items: readonly OrderItem[]): Promise<ReserveGoodsResult> {
  const lines = mergeItems(items);
  const decision = decideReservation(lines, await reservations.lockStock(lines.map((line) => line.sku)));
  if (decision.kind === 'out-of-stock') {
    await reservations.recordOutcome(orderId, OrderOutcomeStatus.OUT_OF_STOCK, decision.unavailable);
    return { outcome: 'out-of-stock', unavailable: decision.unavailable, replayed: false };
  }
  await reservations.reserve(orderId, decision.lines);
  return { outcome: 'reserved', lines: decision.lines, replayed: false };
}

async function enqueueOutcome(outbox: OutboxWriter, command: Message<'inventory.reserve'>, result: ReserveGoodsResult): Promise<void> {
  const { orderId } = command.payload;
  if (result.outcome === 'reserved') {
    await outbox.enqueue({ type: 'inventory.reserved', routingKey: 'inventory.reserved', correlationId: orderId, causationId: command.id, payload: { orderId, items: result.lines } });
  } else if (result.outcome === 'out-of-stock') {
    await outbox.enqueue({ type: 'inventory.out-of-stock', routingKey: 'inventory.out-of-stock', correlationId: orderId, causationId: command.id, payload: { orderId, unavailable: result.unavailable } });
  }
}
