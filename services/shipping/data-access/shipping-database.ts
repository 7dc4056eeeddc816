import { createServiceDatabase, loadDatabaseConfig, type DatabaseConfig } from '../../../lib/database/index.js';
import { PrismaClient } from './generated/index.js';

/** The Shipping service's Prisma client: it reaches the Shipping database only (generated from ./schema.prisma). */
export type ShippingDatabase = PrismaClient;

/** Connects lazily on the first query; `plainSqlOf(db)` shares its pool; call `$disconnect()` on shutdown. */
export function createShippingDatabase(config: DatabaseConfig = loadDatabaseConfig()): ShippingDatabase {
  return createServiceDatabase('shipping', config, (adapter) => new PrismaClient({ adapter }));
}
