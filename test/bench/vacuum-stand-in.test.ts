import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startVacuumStandIn } from '../../bench/e2e/vacuum-stand-in.js';
import { connectionFor, serviceNames } from '../../lib/database/index.js';
import { withMaintenanceConnection } from '../../lib/database/ensure-database.js';
import { createTestDatabases, type TestDatabases } from '../../lib/database/test-databases.js';

let databases: TestDatabases;

beforeAll(async () => {
  databases = await createTestDatabases(serviceNames);
  // Each database gets a table of its own to be vacuumed.
  for (const service of serviceNames) {
    const connection = connectionFor(service, databases.config);
    await withMaintenanceConnection(connection, connection.database, (client) => client.query('CREATE TABLE churn (id int PRIMARY KEY)'));
  }
}, 120_000);

afterAll(() => databases?.drop(), 60_000);

const lastVacuums = (service: (typeof serviceNames)[number]) => {
  const connection = connectionFor(service, databases.config);
  return withMaintenanceConnection(connection, connection.database, async (client: pg.Client) =>
    (await client.query<{ vacuumed: boolean; analyzed: boolean }>(
      "SELECT last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname = 'churn'",
    )).rows[0]);
};

describe('bench: vacuuming in place of autovacuum', () => {
  it('When the server runs without autovacuum, then the run\'s databases are vacuumed and analyzed every nap, and with it nothing is done', async () => {
    const connection = connectionFor('order', databases.config);
    const autovacuum = await withMaintenanceConnection(connection, databases.config.maintenanceDatabase, async (client) => (await client.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]!.autovacuum);
    const notes: string[] = [];

    const standIn = await startVacuumStandIn(databases.config, (text) => notes.push(text), 200);
    try {
      expect(standIn.active).toBe(autovacuum === 'off');
      if (standIn.active) {
        await expect.poll(() => Promise.all(serviceNames.map(lastVacuums)), { timeout: 10_000, interval: 100 })
          .toEqual(serviceNames.map(() => ({ vacuumed: true, analyzed: true })));
        expect(notes).toEqual([expect.stringContaining('autovacuum off')]);
      } else {
        expect(notes).toEqual([]);
      }
    } finally {
      await standIn.stop();
    }
  }, 30_000);
});
