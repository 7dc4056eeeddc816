import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { connectionFor, type DatabaseConfig } from './database-config.js';
import { PlainSql, registerPlainSql } from './plain-sql.js';
import type { ServiceName } from './service-databases.js';

/**
 * A service's generated PrismaClient, constructed by `construct` with a driver adapter on a pg pool
 * that `plainSqlOf(client)` shares for plain SQL. The pool opens connections on first use and is
 * ended by the client's `$disconnect()`: the client is connected at once (which opens nothing),
 * because Prisma disposes of its adapter only if it was connected, and plain SQL alone would not.
 */
export function createServiceDatabase<Client extends { $connect(): Promise<void> }>(
  service: ServiceName,
  config: DatabaseConfig,
  construct: (adapter: PrismaPg) => Client,
): Client {
  const pool = new pg.Pool(connectionFor(service, config));
  // An idle connection the server closed (a restart) leaves the pool; the next query opens another.
  pool.on('error', () => {});
  const client = construct(new PrismaPg(pool, { disposeExternalPool: true }));
  client.$connect().catch(() => {});
  registerPlainSql(client, new PlainSql(pool));
  return client;
}
