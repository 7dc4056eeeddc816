import { randomUUID } from 'node:crypto';
import type { OutboxWriter } from '../../../lib/database/index.js';
import type { Message } from '../../../infra/messaging/index.js';
import type { Shipment, ShipmentRepository } from '../data-access/shipment-repository.js';
import { CARRIER, askCarrier } from './carrier.js';
import { ShipmentStatus } from './shipment-status.js';

/** The order's shipment; `replayed` when an earlier command had created it. */
export interface ShipGoodsResult {
  shipment: Shipment;
  replayed: boolean;
}

/**
 * `shipping.ship`: creates the order's one shipment, accepted by the carrier or rejected, and enqueues
 * `shipping.shipped` (with the tracking number) or `shipping.rejected` (with the reason) in the same
 * transaction. A re-sent command finds the shipment and publishes the same outcome again. The caller
 * handles one command per order at a time (`handleOnce`'s `serializeOn`).
 */
export async function shipGoods(shipments: ShipmentRepository, outbox: OutboxWriter, command: Message<'shipping.ship'>): Promise<ShipGoodsResult> {
  const existing = await shipments.findByOrder(command.payload.orderId);
  const result = existing ? { shipment: existing, replayed: true } : { shipment: await createShipment(shipments, command), replayed: false };
  await enqueueOutcome(outbox, command, result.shipment);
  return result;
}

/** Hands the parcel to the carrier and records what it said. */
async function createShipment(shipments: ShipmentRepository, { payload }: Message<'shipping.ship'>): Promise<Shipment> {
  const id = randomUUID();
  const decision = askCarrier(id, payload.shippingAddress);
  return shipments.create({
    id,
    orderId: payload.orderId,
    items: payload.items,
    address: payload.shippingAddress,
    carrier: CARRIER,
    status: decision.accepted ? ShipmentStatus.SHIPPED : ShipmentStatus.REJECTED,
    trackingNumber: decision.accepted ? decision.trackingNumber : null,
    rejectionReason: decision.accepted ? null : decision.reason,
  });
}

async function enqueueOutcome(outbox: OutboxWriter, command: Message<'shipping.ship'>, shipment: Shipment): Promise<void> {
  const { orderId } = shipment;
  const common = { correlationId: orderId, causationId: command.id };
  if (shipment.status === ShipmentStatus.SHIPPED) {
    await outbox.enqueue({ ...common, type: 'shipping.shipped', routingKey: 'shipping.shipped', payload: { orderId, shipmentId: shipment.id, trackingNumber: shipment.trackingNumber! } });
  } else {
    await outbox.enqueue({ ...common, type: 'shipping.rejected', routingKey: 'shipping.rejected', payload: { orderId, reason: shipment.rejectionReason! } });
  }
}
