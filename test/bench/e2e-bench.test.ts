/**
 * `npm run bench` as a user runs it, with a tiny load: the whole system as separate processes, orders
 * over HTTP, and the results file it writes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE } from '../../bench/machine/machine-speed.js';
import { connectionFor, loadDatabaseConfig } from '../../lib/database/index.js';
import { withMaintenanceConnection } from '../../lib/database/ensure-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const ORDERS = 20;
const WARMUP_ORDERS = 6;
const everyProcess = ['engine', 'order', 'payment', 'inventory', 'shipping', 'workers', 'bench'] as const;

interface ProcessUsage {
  cpuSeconds: number;
  peakRssBytes: number;
}

describe('npm run bench (happy path)', () => {
  let outputDirectory: string;
  let result: Record<string, any>;
  let stdout: string;
  let stderr: string;

  beforeAll(async () => {
    outputDirectory = await mkdtemp(path.join(tmpdir(), 'orderflow-e2e-bench-'));
    ({ stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bench/e2e-bench.ts', '--orders', String(ORDERS), '--concurrency', '4', '--out-dir', outputDirectory, '--stall-timeout', '60', '--idle-seconds', '2', '--warmup-orders', String(WARMUP_ORDERS)], {
      cwd: root,
      timeout: 170_000,
      maxBuffer: 16 * 2 ** 20,
    }));
    result = JSON.parse(await readFile(path.join(outputDirectory, 'e2e.json'), 'utf8'));
  }, 180_000);

  afterAll(async () => {
    if (outputDirectory) await rm(outputDirectory, { recursive: true, force: true });
  });

  it('When a small load runs after a warm-up, then every measured order is reported completed and no warm-up order is counted', () => {
    expect(result.orders).toBe(ORDERS);
    expect(result.warmupOrders).toBe(WARMUP_ORDERS);
    expect(result.completed).toBe(ORDERS);
    expect(stdout).toContain(`${ORDERS}/${ORDERS} orders completed`);
    expect(stdout).toContain(`after ${WARMUP_ORDERS} warm-up orders in no figure`);
  });

  it('When a small load runs, then throughput and place-to-completed percentiles are positive and ordered', () => {
    const { p50, p95, p99 } = result.latencyMs as { p50: number; p95: number; p99: number };
    expect(result.ordersPerSecond).toBeGreaterThan(0);
    expect(p50).toBeGreaterThan(0);
    expect(p95).toBeGreaterThanOrEqual(p50);
    expect(p99).toBeGreaterThanOrEqual(p95);
  });

  it('When a small load runs, then every process of the system and the benchmark itself has CPU seconds and a peak RSS', () => {
    const processes = result.usage.processes as Record<string, ProcessUsage>;
    for (const name of everyProcess) {
      expect(processes[name], name).toBeDefined();
      expect(processes[name]!.cpuSeconds, `${name} CPU seconds`).toBeGreaterThan(0);
      expect(processes[name]!.peakRssBytes, `${name} peak RSS`).toBeGreaterThan(0);
    }
  });

  it('When a run starts, then it states how fast this machine is next to the reference machine of the goals', () => {
    const speed = result.machineSpeed as { grpcEchoCallsPerSecond: number; postgresCommitsPerSecond: number; relativeToReference: { grpcEcho: number; postgresCommits: number } };
    expect(speed.grpcEchoCallsPerSecond).toBeGreaterThan(0);
    expect(speed.postgresCommitsPerSecond).toBeGreaterThan(0);
    expect(speed.relativeToReference.grpcEcho).toBeCloseTo(speed.grpcEchoCallsPerSecond / REFERENCE.grpcEchoCallsPerSecond, 2);
    expect(speed.relativeToReference.postgresCommits).toBeCloseTo(speed.postgresCommitsPerSecond / REFERENCE.postgresCommitsPerSecond, 2);
    expect(stdout).toContain(`gRPC echo ${speed.grpcEchoCallsPerSecond} calls/s`);
  });

  it('When a run starts, then it says whether the server vacuums its tables or the bench does it in its place, and the results record which', async () => {
    const config = loadDatabaseConfig();
    const autovacuum = await withMaintenanceConnection(connectionFor('order', config), config.maintenanceDatabase, async (client) => (await client.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]!.autovacuum);

    expect(result.vacuumedByBench).toBe(autovacuum === 'off');
    // Notes go with the progress line, to stderr.
    expect(stderr.includes('PostgreSQL runs with autovacuum off')).toBe(autovacuum === 'off');
  });

  it('When a small load runs, then the per-second buckets add up to every order and the latency chart is written', async () => {
    const buckets = result.perSecond as { completed: number }[];
    const chart = await readFile(path.join(outputDirectory, 'e2e-latency.svg'), 'utf8');
    expect(buckets.reduce((sum, bucket) => sum + bucket.completed, 0)).toBe(ORDERS);
    expect(chart).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(chart).toContain('p99 place → completed');
  });
});
