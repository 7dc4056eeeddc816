/**
 * How fast this machine is next to the one the performance goals were stated on, measured the way
 * the goals state their reference points: a grpc-js echo (a protobuf message, 64 calls in flight,
 * client and server in two processes; 5,200 calls/s there) and single-row PostgreSQL commits on one
 * connection (2,300/s there). Machines of the same kind differ by a factor of two and more, so a
 * benchmark's figures are only comparable with the goals through these ratios.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { connectionFor, loadDatabaseConfig } from '../../lib/database/database-config.js';
import { withMaintenanceConnection } from '../../lib/database/ensure-database.js';
import { nodeArgumentsFor } from '../../scripts/start/child-process.js';
import { compiledTree } from '../../scripts/start/compiled-tree.js';
import { echoClient } from './echo-service.js';

/** The reference machine's figures, as the goals state them. */
export const REFERENCE = { grpcEchoCallsPerSecond: 5_200, postgresCommitsPerSecond: 2_300 } as const;

const ECHO_IN_FLIGHT = 64;
const MEASURE_MS = 3_000;

export interface MachineSpeed {
  grpcEchoCallsPerSecond: number;
  postgresCommitsPerSecond: number;
  /** This machine's figure ÷ the reference machine's: 2 means twice as fast. */
  relativeToReference: { grpcEcho: number; postgresCommits: number };
}

export async function measureMachineSpeed(): Promise<MachineSpeed> {
  const grpcEchoCallsPerSecond = await grpcEchoRate();
  const postgresCommitsPerSecond = await postgresCommitRate();
  return {
    grpcEchoCallsPerSecond,
    postgresCommitsPerSecond,
    relativeToReference: {
      grpcEcho: ratio(grpcEchoCallsPerSecond, REFERENCE.grpcEchoCallsPerSecond),
      postgresCommits: ratio(postgresCommitsPerSecond, REFERENCE.postgresCommitsPerSecond),
    },
  };
}

export function describeMachineSpeed(speed: MachineSpeed): string {
  return `machine speed: gRPC echo ${speed.grpcEchoCallsPerSecond} calls/s (${speed.relativeToReference.grpcEcho}× the goals' reference machine), ` +
    `PostgreSQL ${speed.postgresCommitsPerSecond} commits/s on one connection (${speed.relativeToReference.postgresCommits}×)`;
}

async function grpcEchoRate(): Promise<number> {
  const entry = (await compiledTree()).entry('bench/machine/echo-server.ts');
  const server = spawn(process.execPath, nodeArgumentsFor(entry), { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: server.stdout }).on('line', (line) => {
        if (line.startsWith('PORT ')) resolve(Number(line.slice(5)));
      });
      server.once('exit', (code) => reject(new Error(`Expected the echo server to report its port, but it exited with code ${code}`)));
    });
    const client = echoClient(port);
    try {
      const call = () => new Promise<void>((resolve, reject) => client.echo({ text: 'orderflow', number: 1 }, (error) => (error ? reject(error) : resolve())));
      await call();
      return await countFor(MEASURE_MS, ECHO_IN_FLIGHT, call);
    } finally {
      client.close();
    }
  } finally {
    server.kill();
  }
}

async function postgresCommitRate(): Promise<number> {
  const config = loadDatabaseConfig();
  // A table of its own in the maintenance database, logged like any table (a temporary one is not).
  const table = `orderflow_machine_speed_${process.pid}`;
  return withMaintenanceConnection(connectionFor('order', config), config.maintenanceDatabase, async (client) => {
    try {
      await client.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, value text NOT NULL)`);
      return await countFor(MEASURE_MS, 1, async () => {
        await client.query(`INSERT INTO ${table} (value) VALUES ($1)`, ['orderflow']);
      });
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
    }
  });
}

/** Operations per second that `inFlight` loops of `operation` complete within `ms`. */
async function countFor(ms: number, inFlight: number, operation: () => Promise<void>): Promise<number> {
  let count = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < end) {
      await operation();
      count++;
    }
  }));
  return Math.round(count / ((performance.now() - start) / 1000));
}

function ratio(value: number, reference: number): number {
  return Math.round((value / reference) * 100) / 100;
}
