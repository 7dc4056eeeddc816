import type { OrderItem, ShippingAddress } from '../../../infra/messaging/index.js';
import type { ShipmentStatus } from '../domain/shipment-status.js';
import type { SqlExecutor } from '../../../lib/database/index.js';
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

type ShipmentRow = Omit<Awaited<ReturnType<Prisma.TransactionClient['shipment']['findFirstOrThrow']>>, 'updatedAt'>;

// Read and written on every ship command: plain SQL (the inbox's transaction runs on `plainSqlOf(db)`).
const SHIPMENT_COLUMNS = `id::text, order_id::text AS "orderId", status, address, items, carrier, tracking_number AS "trackingNumber",
  rejection_reason AS "rejectionReason", created_at AS "createdAt"`;

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
  constructor(private readonly db: SqlExecutor) {}

  async findByOrder(orderId: string): Promise<Shipment | undefined> {
    const [row] = await this.db.$queryRawUnsafe<ShipmentRow[]>(`SELECT ${SHIPMENT_COLUMNS} FROM shipments WHERE order_id = $1::uuid`, orderId);
    return row ? toShipment(row) : undefined;
  }

  async create(shipment: Omit<Shipment, 'createdAt'>): Promise<Shipment> {
    const [row] = await this.db.$queryRawUnsafe<[ShipmentRow]>(
      `INSERT INTO shipments (id, order_id, status, address, items, carrier, tracking_number, rejection_reason, updated_at)
       VALUES ($1::uuid, $2::uuid, $3, $4::jsonb, $5::jsonb, $6, $7, $8, now()) RETURNING ${SHIPMENT_COLUMNS}`,
      shipment.id,
      shipment.orderId,
      shipment.status,
      JSON.stringify(shipment.address),
      JSON.stringify(shipment.items),
      shipment.carrier,
      shipment.trackingNumber,
      shipment.rejectionReason,
    );
    return toShipment(row);
  }
}
