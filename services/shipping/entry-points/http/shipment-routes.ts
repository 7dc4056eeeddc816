import { Router } from 'express';
import { z } from 'zod';
import type { Shipment, ShipmentRepository } from '../../data-access/shipment-repository.js';
import { OpsAccess, requireOpsAccess, type OpsTokens } from '../../../../lib/http/ops-auth.js';
import { sendProblem, invalidRequest } from '../../../../lib/http/problem-details.js';

const listShipmentsQuery = z.object({ orderId: z.uuid('Expected an order id (a UUID)') });

/** `GET /shipments?orderId=` → `{items: [...]}`: the order's shipment (at most one), or none yet; it holds the customer's address, so only ops read it. */
export function shipmentRoutes(shipments: ShipmentRepository, opsTokens: OpsTokens): Router {
  const router = Router();
  router.get('/shipments', requireOpsAccess(opsTokens, OpsAccess.READ), async (request, response) => {
    const query = listShipmentsQuery.safeParse(request.query);
    if (!query.success) return sendProblem(response, invalidRequest(query.error));
    const shipment = await shipments.findByOrder(query.data.orderId);
    response.json({ items: shipment ? [toResource(shipment)] : [] });
  });
  return router;
}

function toResource(shipment: Shipment) {
  return {
    id: shipment.id,
    orderId: shipment.orderId,
    status: shipment.status,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    rejectionReason: shipment.rejectionReason,
    items: shipment.items,
    shippingAddress: shipment.address,
    createdAt: shipment.createdAt.toISOString(),
  };
}
