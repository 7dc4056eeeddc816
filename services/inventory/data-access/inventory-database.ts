import { createDriverAdapter, loadDatabaseConfig, type DatabaseConfig } from '../../../lib/database/index.js';
import { PrismaClient } from './generated/index.js';

/** The Inventory service's Prisma client: it reaches the Inventory database only (generated from ./schema.prisma). */
export type InventoryDatabase = PrismaClient;

/** Connects lazily on the first query; call `$disconnect()` on shutdown. */
export function createInventoryDatabase(config: DatabaseConfig = loadDatabaseConfig()): InventoryDatabase {
  return new PrismaClient({ adapter: createDriverAdapter('inventory', config) });
}
