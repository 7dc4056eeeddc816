import { createServiceDatabase, loadDatabaseConfig, type DatabaseConfig } from '../../../lib/database/index.js';
import { PrismaClient } from './generated/index.js';

/** The Inventory service's Prisma client: it reaches the Inventory database only (generated from ./schema.prisma). */
export type InventoryDatabase = PrismaClient;

/** Connects lazily on the first query; `plainSqlOf(db)` shares its pool; call `$disconnect()` on shutdown. */
export function createInventoryDatabase(config: DatabaseConfig = loadDatabaseConfig()): InventoryDatabase {
  return createServiceDatabase('inventory', config, (adapter) => new PrismaClient({ adapter }));
}
