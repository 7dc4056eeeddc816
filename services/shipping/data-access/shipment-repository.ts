import type { OrderItem, ShippingAddress } from '../../../infra/messaging/index.js';
import type { ShipmentStatus } from '../domain/shipment-status.js';
import type { Prisma } from './generated/index.js';

export interface Shipment {
  id: string;
  orderId: string;
  status: ShipmentStatus;
  address: ShippingAddress;
  items: OrderItem[];
  carrier: string | null;
  trackingNumber: string | null;
  rejectionReason: string | null;
  createdAt: Date;
}

type ShipmentRow = Awaited<ReturnType<Prisma.TransactionClient['shipment']['findFirstOrThrow']>>;

function toShipment(row: ShipmentRow): Shipment {
  return {
    id: row.id,
    orderId: row.orderId,
    status: row.status as ShipmentStatus,
    address: row.address as unknown as ShippingAddress,
    items: row.items as unknown as OrderItem[],
    carrier: row.carrier,
    trackingNumber: row.trackingNumber,
    rejectionReason: row.rejectionReason,
    createdAt: row.createdAt,
  };
}

/** Shipments, at most one per order (a unique key). Works on the client or inside a transaction. */
export class ShipmentRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  /** Serialises ship commands for the same order until the transaction ends. */
  async lockOrder(orderId: string): Promise<void> {
    await this.db.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', orderId);
  }

  async findByOrder(orderId: string): Promise<Shipment | undefined> {
    const row = await this.db.shipment.findUnique({ where: { orderId } });
    return row ? toShipment(row) : undefined;
  }

  async create(shipment: Omit<Shipment, 'createdAt'>): Promise<Shipment> {
    const row = await this.db.shipment.create({
      data: { ...shipment, address: shipment.address as unknown as Prisma.InputJsonValue, items: shipment.items as unknown as Prisma.InputJsonValue },
    });
    return toShipment(row);
  }
}
