/**
 * Stands in for autovacuum on a PostgreSQL server that runs without it (some CI images switch it
 * off). The system's tables churn (the outbox and the orders are updated, the relay's poll reads the
 * unpublished rows): without VACUUM their dead rows pile up, and without ANALYZE the planner works
 * from the statistics of an empty table, so a long run would measure the server's setting rather
 * than the system. Every 60 s, autovacuum's default nap, it vacuums and analyzes the run's databases.
 */
import { connectionFor, serviceNames, type DatabaseConfig } from '../../lib/database/index.js';
import { withMaintenanceConnection } from '../../lib/database/ensure-database.js';

const NAP_MS = 60_000;

export interface VacuumStandIn {
  /** False when the server runs autovacuum itself and nothing is done. */
  readonly active: boolean;
  stop(): Promise<void>;
}

export async function startVacuumStandIn(database: DatabaseConfig, note: (text: string) => void, napMs = NAP_MS): Promise<VacuumStandIn> {
  const setting = await withMaintenanceConnection(connectionFor('order', database), database.maintenanceDatabase, async (client) => (await client.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]?.autovacuum);
  if (setting !== 'off') return { active: false, stop: async () => undefined };
  note(`PostgreSQL runs with autovacuum off: the bench vacuums and analyzes the run's databases every ${napMs / 1000} s in its place.`);

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    for (const service of serviceNames) {
      if (stopped) return;
      const connection = connectionFor(service, database);
      await withMaintenanceConnection(connection, connection.database, (client) => client.query('VACUUM (ANALYZE)')).catch((error: unknown) => {
        note(`VACUUM (ANALYZE) of ${connection.database} failed: ${(error as Error).message}`);
      });
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      running = pass().finally(() => {
        if (!stopped) schedule();
      });
    }, napMs);
  };
  schedule();
  return {
    active: true,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
