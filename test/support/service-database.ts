/**
 * One service's database of a test file's own: created and migrated before its tests (or those of
 * the describe block it is called in), with a client, and dropped after them.
 */
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseConfig, ServiceName } from '../../lib/database/index.js';
import { createTestDatabases, type TestDatabases } from '../../lib/database/test-databases.js';

export interface ServiceDatabase<Db> {
  /** The client; there from the first test on. */
  readonly db: Db;
  /** Where the database is, for a second client or a listener. */
  readonly config: DatabaseConfig;
}

export function useServiceDatabase<Db extends { $disconnect(): Promise<unknown> }>(
  service: ServiceName,
  createClient: (config: DatabaseConfig) => Db,
): ServiceDatabase<Db> {
  let databases: TestDatabases | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    databases = await createTestDatabases([service]);
    db = createClient(databases.config);
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await databases?.drop();
  }, 60_000);
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`Expected the ${service} test database to be created before the tests, but it was not`);
    return value;
  };
  return {
    get db() {
      return ready(db);
    },
    get config() {
      return ready(databases).config;
    },
  };
}
