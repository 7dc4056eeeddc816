/** Checks that what `npm start` runs against is there, and says how to start what is missing. */
import { createServer } from 'node:net';
import amqp from 'amqplib';
import pg from 'pg';
import { describeServer, type DatabaseConfig } from '../../lib/database/index.js';

export interface PreflightProblem {
  what: string;
  detail: string;
  howToStart: string;
}

export async function checkPostgres(config: DatabaseConfig): Promise<PreflightProblem | undefined> {
  const client = new pg.Client({ host: config.host, port: config.port, user: config.user, password: config.password, database: config.maintenanceDatabase, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return {
      what: `PostgreSQL at ${describeServer(config.host, config.port)}`,
      detail: (error as Error).message,
      howToStart: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start  (or set PGHOST/PGPORT/PGUSER/PGPASSWORD)',
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRabbit(url: string): Promise<PreflightProblem | undefined> {
  try {
    const connection = await amqp.connect(url, { timeout: 3_000 });
    await connection.close();
    return undefined;
  } catch (error) {
    return {
      what: `RabbitMQ at ${new URL(url).host}`,
      detail: (error as Error).message || String(error),
      howToStart: 'rabbitmq-server -detached  (or set RABBITMQ_URL)',
    };
  }
}

/** A port `npm start` hands to one of its processes, and the variable that moves it. */
export interface PlannedPort {
  what: string;
  host: string;
  port: number;
  variable: string;
}

/** The planned ports something else already listens on: each would stop its process at start. */
export async function portsInUse(ports: readonly PlannedPort[]): Promise<PlannedPort[]> {
  const taken = await Promise.all(ports.map(async (planned) => ((await canListen(planned.host, planned.port)) ? undefined : planned)));
  return taken.filter((planned) => planned !== undefined);
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
