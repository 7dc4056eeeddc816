import type { OutboxWriter } from '../../../lib/database/index.js';
import type { Message, OrderItem } from '../../../infra/messaging/index.js';
import type { ReservationRepository } from '../data-access/reservation-repository.js';
import { OrderOutcomeStatus } from './order-outcome.js';

export type ReleaseGoodsResult =
  | { outcome: 'released'; lines: OrderItem[] }
  /** The goods had been released by an earlier command. */
  | { outcome: 'already-released' }
  /** Nothing was held: the order was out of stock, or its reserve has not arrived (and now never will take effect). */
  | { outcome: 'nothing-reserved' };

/**
 * `inventory.release` (compensation of `inventory.reserve`): puts the order's picked goods back into
 * stock and enqueues `inventory.released`, once per order. Releasing an order that holds nothing
 * publishes nothing; a release that overtakes its reserve is recorded, so the late reserve is ignored.
 * The caller handles one command per order at a time (`handleOnce`'s `serializeOn`).
 */
export async function releaseGoods(
  reservations: ReservationRepository,
  outbox: OutboxWriter,
  command: Message<'inventory.release'>,
): Promise<ReleaseGoodsResult> {
  const { orderId } = command.payload;
  const previous = await reservations.findOutcome(orderId);
  if (previous?.status === OrderOutcomeStatus.RELEASED) return { outcome: 'already-released' };
  if (previous?.status === OrderOutcomeStatus.OUT_OF_STOCK) return { outcome: 'nothing-reserved' };
  await reservations.recordOutcome(orderId, OrderOutcomeStatus.RELEASED);
  if (!previous) return { outcome: 'nothing-reserved' };

  const lines = await reservations.releasePicked(orderId);
  await outbox.enqueue({ type: 'inventory.released', routingKey: 'inventory.released', correlationId: orderId, causationId: command.id, payload: { orderId, items: lines } });
  return { outcome: 'released', lines };
}
