import pg from 'pg';
import type { ConnectionOptions } from './database-config.js';
import { DatabaseUnreachableError } from './errors.js';

// ENOENT: no socket file in a socket directory, the server is not running.
const UNREACHABLE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET']);
const DUPLICATE_DATABASE = '42P04';

function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && UNREACHABLE_CODES.has(code)) || /timeout/i.test(String((error as Error).message));
}

/** Connects to the server's maintenance database for administrative statements, then disconnects. */
export function withMaintenanceConnection<R>(
  connection: ConnectionOptions,
  maintenanceDatabase: string,
  work: (client: pg.Client) => Promise<R>,
): Promise<R> {
  return withConnection({ ...connection, database: maintenanceDatabase }, work);
}

/** Connects to `connection.database`, runs `work`, then disconnects. */
export async function withConnection<R>(connection: ConnectionOptions, work: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw isUnreachable(error) ? new DatabaseUnreachableError(connection.host, connection.port, error) : error;
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `connection.database` unless it exists. Resolves with whether it was created. */
export function ensureDatabaseExists(connection: ConnectionOptions, maintenanceDatabase: string): Promise<boolean> {
  return withMaintenanceConnection(connection, maintenanceDatabase, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [connection.database]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(connection.database)}`);
      return true;
    } catch (error) {
      // Another process (a parallel test file, a second service starting) created it first.
      if ((error as { code?: unknown }).code === DUPLICATE_DATABASE) return false;
      throw error;
    }
  });
}
