import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import { connectionFor, DatabaseUnreachableError, migrateAll, MigrationFailedError, type ServiceName } from '../../lib/database/index.js';
import { createTestDatabases, type TestDatabases } from '../../lib/database/test-databases.js';
import { createInventoryDatabase } from '../../services/inventory/data-access/inventory-database.js';
import { createOrderDatabase } from '../../services/order/data-access/order-database.js';
import { createPaymentDatabase } from '../../services/payment/data-access/payment-database.js';
import { createShippingDatabase } from '../../services/shipping/data-access/shipping-database.js';

const tablesByService: Record<ServiceName, string[]> = {
  order: ['idempotency_keys', 'inbox', 'order_items', 'order_timeline_entries', 'orders', 'outbox', 'products'],
  payment: ['cards', 'inbox', 'outbox', 'payments', 'refund_requests'],
  inventory: ['inbox', 'order_outcomes', 'outbox', 'reservations', 'stock_items'],
  shipping: ['inbox', 'outbox', 'shipments'],
};
const services = Object.keys(tablesByService) as ServiceName[];
const ownTables = (service: ServiceName) => tablesByService[service].filter((table) => table !== 'inbox' && table !== 'outbox');

let databases: TestDatabases;
let clients: Record<ServiceName, { $queryRawUnsafe(query: string): Promise<unknown>; $disconnect(): Promise<void> }>;

beforeAll(async () => {
  databases = await createTestDatabases();
  clients = {
    order: createOrderDatabase(databases.config),
    payment: createPaymentDatabase(databases.config),
    inventory: createInventoryDatabase(databases.config),
    shipping: createShippingDatabase(databases.config),
  };
}, 180_000);

afterAll(async () => {
  await Promise.all(Object.values(clients ?? {}).map((client) => client.$disconnect()));
  await databases?.drop();
}, 60_000);

async function query<T extends pg.QueryResultRow>(service: ServiceName, sql: string): Promise<T[]> {
  const client = new pg.Client(connectionFor(service, databases.config));
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it.each(services)('When migrations run on an empty server, then the %s database has exactly its tables', async (service) => {
    const rows = await query<{ table_name: string }>(
      service,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name",
    );

    expect(rows.map((row) => row.table_name)).toEqual(tablesByService[service]);
  });

  it('When migrations run again, then nothing is applied twice', async () => {
    await migrateAll({ config: databases.config, services: ['shipping'], logger: pino({ level: 'silent' }) });

    const rows = await query<{ migration_name: string }>('shipping', 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name');
    const folders = readdirSync('services/shipping/data-access/migrations').filter((name) => /^\d{14}_/.test(name)).sort();
    expect(folders.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.migration_name)).toEqual(folders);
  }, 120_000);

  it('When every migration is already applied, then it says the database is up to date without running Prisma', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });

    await migrateAll({ config: databases.config, services: ['shipping'], logger });

    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('Migrations up to date');
    expect(messages).not.toContain('Applying migrations');
  });

  it('When a migration is recorded as failed, then Prisma is asked and the failure is reported, not taken for up to date', async () => {
    await query('shipping', "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('failed-migration-test', 'x', '29991231000000_failed', now(), 0)");
    try {
      const failure = migrateAll({ config: databases.config, services: ['shipping'], logger: pino({ level: 'silent' }) });

      await expect(failure).rejects.toBeInstanceOf(MigrationFailedError);
      await expect(failure).rejects.toThrow('29991231000000_failed');
    } finally {
      await query('shipping', "DELETE FROM _prisma_migrations WHERE id = 'failed-migration-test'");
    }
  }, 120_000);

  it('When PostgreSQL does not answer, then migrating fails naming the host and port', async () => {
    const unreachable = { ...databases.config, host: '127.0.0.1', port: 1 };

    const failure = migrateAll({ config: unreachable, logger: pino({ level: 'silent' }) });

    await expect(failure).rejects.toBeInstanceOf(DatabaseUnreachableError);
    await expect(failure).rejects.toThrow('127.0.0.1:1');
  });
});

describe('service isolation', () => {
  const otherServicesTables = services.flatMap((service) =>
    services.filter((other) => other !== service).flatMap((other) => ownTables(other).map((table) => [service, other, table] as const)),
  );

  it.each(otherServicesTables)("When the %s client reads the %s service's table %s, then the table does not exist for it", async (service, _other, table) => {
    await expect(clients[service].$queryRawUnsafe(`SELECT 1 FROM ${table} LIMIT 1`)).rejects.toThrow(/does not exist/);
  });

  it.each(services)('When the %s client reads its own tables, then it can', async (service) => {
    for (const table of tablesByService[service]) {
      await expect(clients[service].$queryRawUnsafe(`SELECT 1 FROM ${table} LIMIT 1`)).resolves.toEqual([]);
    }
  });

  it.each(services)("When the %s client asks which database it is in, then it is in to its own database only", async (service) => {
    const rows = (await clients[service].$queryRawUnsafe('SELECT current_database()::text AS name')) as { name: string }[];

    expect(rows).toEqual([{ name: `${databases.config.databasePrefix}_${service}` }]);
  });
});
