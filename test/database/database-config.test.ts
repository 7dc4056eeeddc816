/**
 * Where the services find PostgreSQL: the environment's settings or a URL of the server; a host may
 * be the directory of the server's Unix socket, as for psql.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connectionFor, connectionUrl, describeServer, loadDatabaseConfig } from '../../lib/database/index.js';


describe('database settings', () => {
  it('When PGHOST names the directory of the server\'s Unix socket, then the services connect through the socket', async () => {
    const config = loadDatabaseConfig({ PGHOST: '/var/run/postgresql' });
    const client = new pg.Client({ ...connectionFor('order', config), database: config.maintenanceDatabase });
    await client.connect();
    const { rows } = await client.query<{ address: string | null }>('SELECT inet_client_addr()::text AS address');
    await client.end();

    // A Unix-socket client has no address.
    expect(rows[0]!.address).toBeNull();
  });

  it('When PGHOST is unset, then the server is reached over TCP on 127.0.0.1', () => {
    expect(loadDatabaseConfig({}).host).toBe('127.0.0.1');
  });

  it('When PGHOST is set, then it is used as given', () => {
    expect(loadDatabaseConfig({ PGHOST: 'db.internal' }).host).toBe('db.internal');
  });

  it('When a connection through a socket directory is handed on as a URL, then reading the URL gives it back', () => {
    const connection = { host: '/var/run/postgresql', port: 5433, user: 'orderflow', password: 'p@ss/word', database: 'orderflow_payment' };

    const read = loadDatabaseConfig({ ORDERFLOW_PAYMENT_DATABASE_URL: connectionUrl(connection) });

    expect(read.overrides.payment).toEqual(connection);
  });

  it('When a TCP connection is handed on as a URL, then reading the URL gives it back', () => {
    const connection = { host: 'db.internal', port: 6432, user: 'orderflow', password: undefined, database: 'orderflow_order' };

    expect(loadDatabaseConfig({ ORDERFLOW_ORDER_DATABASE_URL: connectionUrl(connection) }).overrides.order).toEqual(connection);
  });

  it('When errors name the server, then a socket directory reads as its socket file', () => {
    expect(describeServer('/var/run/postgresql', 5432)).toBe('/var/run/postgresql/.s.PGSQL.5432');
    expect(describeServer('127.0.0.1', 5432)).toBe('127.0.0.1:5432');
  });
});
