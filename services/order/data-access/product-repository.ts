import { plainSqlOf } from '../../../lib/database/index.js';
import type { Product } from '../domain/catalog-seed.js';
import type { OrderDatabase } from './order-database.js';

/** The catalog table: products with their price in minor units. */
export class ProductRepository {
  constructor(private readonly db: OrderDatabase) {}

  /** Inserts the products that are missing; existing rows (and prices ops changed) are left alone, so it is safe at every start. */
  async seed(products: readonly Product[]): Promise<number> {
    const { count } = await this.db.product.createMany({
      data: products.map((product) => ({ sku: product.sku, name: product.name, priceAmount: product.price.amount, currency: product.price.currency })),
      skipDuplicates: true,
    });
    return count;
  }

  async list(): Promise<Product[]> {
    const rows = await this.db.product.findMany({ orderBy: { sku: 'asc' } });
    return rows.map((row) => ({ sku: row.sku, name: row.name, price: { amount: row.priceAmount, currency: row.currency } }));
  }

  /** The products with these SKUs, by SKU; unknown SKUs are simply absent. */
  async findBySkus(skus: readonly string[]): Promise<Map<string, Product>> {
    // Read for every order placed: plain SQL on the client's pool.
    const rows = await plainSqlOf(this.db).$queryRawUnsafe<{ sku: string; name: string; priceAmount: number; currency: string }[]>(
      'SELECT sku, name, price_amount AS "priceAmount", currency FROM products WHERE sku = ANY($1::text[])',
      [...new Set(skus)],
    );
    return new Map(rows.map((row) => [row.sku, { sku: row.sku, name: row.name, price: { amount: row.priceAmount, currency: row.currency.trim() } }]));
  }
}
