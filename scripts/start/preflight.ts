/** Checks that what `npm start` runs against is there, and says how to start what is missing. */
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
