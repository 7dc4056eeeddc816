import type { InventoryDatabase } from './inventory-database.js';

/** Stock levels as ops see them: read, set (restock) and seed. Reservations go through ReservationRepository. */
export class StockRepository {
  constructor(private readonly db: InventoryDatabase) {}

  /** Creates the SKUs that are missing with `quantity` units; existing stock is left alone, so it is safe at every start. */
  async seed(skus: readonly string[], quantity: number): Promise<number> {
    const { count } = await this.db.stockItem.createMany({ data: skus.map((sku) => ({ sku, available: quantity })), skipDuplicates: true });
    return count;
  }

  /** Resolves with undefined for a SKU Inventory does not stock. */
  async available(sku: string): Promise<number | undefined> {
    return (await this.db.stockItem.findUnique({ where: { sku } }))?.available;
  }

  /** Sets the units available (creating the SKU if new); reserved goods are not affected. */
  async setAvailable(sku: string, quantity: number): Promise<void> {
    await this.db.stockItem.upsert({ where: { sku }, create: { sku, available: quantity }, update: { available: quantity } });
  }
}
