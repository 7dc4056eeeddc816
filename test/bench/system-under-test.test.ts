/**
 * The system harness: the whole of Orderflow as separate processes, isolated from `npm start`'s data,
 * with handles to kill, restart and measure each process by name.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionFor, loadDatabaseConfig } from '../../lib/database/index.js';
import { SystemUnderTest, systemProcessNames } from '../../scripts/system/index.js';
import { isAlive } from '../support/process-alive.js';

const run = promisify(execFile);

describe('SystemUnderTest', () => {
  let system: SystemUnderTest;

  beforeAll(async () => {
    system = await SystemUnderTest.start();
  }, 180_000);

  afterAll(async () => {
    await system?.teardown().catch(() => undefined);
  }, 60_000);

  it('When started, then every process runs under a pid of its own and the engine and services answer on their own ports', async () => {
    const pids = systemProcessNames.map((name) => system.pid(name));
    const ready = await fetch(`${system.urls.engineManagement}/ready`);
    const stock = await fetch(`${system.urls.inventory}/stock/SKU-MUG`, { headers: { authorization: `Bearer ${system.opsReadToken}` } });

    expect(new Set(pids).size).toBe(systemProcessNames.length);
    expect(pids.every((pid) => typeof pid === 'number')).toBe(true);
    expect(ready.status).toBe(200);
    expect(stock.status).toBe(200);
    expect(Object.values(system.ports)).not.toContain(3002);
  });

  it('When started, then its databases carry a prefix of the run and its broker traffic a virtual host of the run', () => {
    expect(system.database.databasePrefix).toBe(`orderflow_system_${system.runId}`);
    expect(system.messaging.url).toContain(`/orderflow-system-${system.runId}`);
  });

  it('When a service is killed, then it exits by SIGKILL, and a restart serves again on the same port under a new pid', async () => {
    const before = system.pid('inventory');

    await system.kill('inventory');
    const killed = system.exits.find((exit) => exit.name === 'inventory' && exit.pid === before);
    const runningAfterKill = system.isRunning('inventory');
    await system.startProcess('inventory');
    const stock = await fetch(`${system.urls.inventory}/stock/SKU-MUG`, { headers: { authorization: `Bearer ${system.opsToken}` } });

    expect(killed?.signal).toBe('SIGKILL');
    expect(runningAfterKill).toBe(false);
    expect(system.pid('inventory')).not.toBe(before);
    expect(stock.status).toBe(200);
  }, 120_000);

  it('When usage is sampled, then every process has CPU seconds and a peak RSS, and PostgreSQL and RabbitMQ are measured as wholes', async () => {
    const usage = await system.sampleUsage();

    for (const name of [...systemProcessNames, 'harness', 'postgresql', 'rabbitmq']) {
      expect(usage[name]?.cpuSeconds, `${name} CPU seconds`).toBeGreaterThan(0);
      expect(usage[name]?.peakMemoryBytes, `${name} peak memory`).toBeGreaterThan(0);
    }
  });

  it("When a process writes its log, then the log is in the run's directory under the process's name", async () => {
    const log = await readFile(system.logFile('engine'), 'utf8');

    expect(log).toContain('engine started');
  });

  it('When torn down, then no process is left and its databases and virtual host are gone', async () => {
    const pids = systemProcessNames.map((name) => system.pid(name)).filter((pid) => pid !== undefined);
    const prefix = system.database.databasePrefix;
    const vhost = `orderflow-system-${system.runId}`;

    await system.teardown();

    const config = loadDatabaseConfig();
    const client = new pg.Client({ ...connectionFor('order', config), database: config.maintenanceDatabase });
    await client.connect();
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}_%`]).finally(() => client.end());
    const { stdout: vhosts } = await run('rabbitmqctl', ['list_vhosts', '--quiet', '--no-table-headers']);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    expect(rows).toEqual([]);
    expect(vhosts.split('\n')).not.toContain(vhost);
  }, 90_000);
});

