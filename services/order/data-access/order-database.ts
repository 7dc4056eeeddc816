import { createServiceDatabase, loadDatabaseConfig, type DatabaseConfig } from '../../../lib/database/index.js';
import { PrismaClient } from './generated/index.js';

/** The Order service's Prisma client: it reaches the Order database only (generated from ./schema.prisma). */
export type OrderDatabase = PrismaClient;

/** Connects lazily on the first query; `plainSqlOf(db)` shares its pool; call `$disconnect()` on shutdown. */
export function createOrderDatabase(config: DatabaseConfig = loadDatabaseConfig()): OrderDatabase {
  return createServiceDatabase('order', config, (adapter) => new PrismaClient({ adapter }));
}
