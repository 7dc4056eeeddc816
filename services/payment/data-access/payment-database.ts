import { createServiceDatabase, loadDatabaseConfig, type DatabaseConfig } from '../../../lib/database/index.js';
import { PrismaClient } from './generated/index.js';

/** The Payment service's Prisma client: it reaches the Payment database only (generated from ./schema.prisma). */
export type PaymentDatabase = PrismaClient;

/** Connects lazily on the first query; `plainSqlOf(db)` shares its pool; call `$disconnect()` on shutdown. */
export function createPaymentDatabase(config: DatabaseConfig = loadDatabaseConfig()): PaymentDatabase {
  return createServiceDatabase('payment', config, (adapter) => new PrismaClient({ adapter }));
}
