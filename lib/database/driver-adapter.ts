import { PrismaPg } from '@prisma/adapter-pg';
import { connectionFor, type DatabaseConfig } from './database-config.js';
import type { ServiceName } from './service-databases.js';

/** The driver adapter a service's generated PrismaClient is constructed with; it opens a pg pool on first use. */
export function createDriverAdapter(service: ServiceName, config: DatabaseConfig): PrismaPg {
  return new PrismaPg(connectionFor(service, config));
}
