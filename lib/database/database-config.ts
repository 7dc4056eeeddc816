import { z } from 'zod';
import { DatabaseConfigError } from './errors.js';
import { isSocketDirectory } from './server-address.js';
import { serviceNames, type ServiceName } from './service-databases.js';

/** Where one service's database lives; discrete fields, never a connection string (see prisma.config.ts). */
export interface ConnectionOptions {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

/**
 * The PostgreSQL server the services share and how their databases are named:
 * service `payment` uses database `<databasePrefix>_payment` unless an override names another.
 */
export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password?: string;
  databasePrefix: string;
  /** The database connected to for `CREATE DATABASE`; every PostgreSQL server has `postgres`. */
  maintenanceDatabase: string;
  overrides: Partial<Record<ServiceName, ConnectionOptions>>;
}

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'Expected a lower-case PostgreSQL identifier');
/** An empty variable (`PGPASSWORD=`) counts as unset, as it does for psql. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

const environmentSchema = z.object({
  ORDERFLOW_DATABASE_URL: unsetIfEmpty(z.string().optional()),
  PGHOST: unsetIfEmpty(z.string().default('127.0.0.1')),
  PGPORT: unsetIfEmpty(z.coerce.number().int().min(1).max(65535).default(5432)),
  PGUSER: unsetIfEmpty(z.string().default('postgres')),
  PGPASSWORD: unsetIfEmpty(z.string().optional()),
  ORDERFLOW_DATABASE_PREFIX: unsetIfEmpty(identifier.default('orderflow')),
  ORDERFLOW_MAINTENANCE_DATABASE: unsetIfEmpty(z.string().default('postgres')),
});

/** The environment variable that points one service at a database of its own, e.g. `ORDERFLOW_PAYMENT_DATABASE_URL`. */
export function serviceDatabaseUrlVariable(service: ServiceName): string {
  return `ORDERFLOW_${service.toUpperCase()}_DATABASE_URL`;
}

/**
 * Reads the database settings from the environment.
 * `ORDERFLOW_DATABASE_URL` (`postgresql://user:password@host:port/<prefix>`) wins over the discrete
 * `PGHOST` (a host, or the directory of a Unix socket), `PGPORT`, `PGUSER`, `PGPASSWORD` and
 * `ORDERFLOW_DATABASE_PREFIX`; defaults reach the local server.
 * @throws DatabaseConfigError when a variable is malformed.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new DatabaseConfigError(`Expected valid database settings, but ${z.prettifyError(parsed.error)}`);
  }
  const settings = parsed.data;
  const base = {
    host: settings.PGHOST,
    port: settings.PGPORT,
    user: settings.PGUSER,
    password: settings.PGPASSWORD,
    databasePrefix: settings.ORDERFLOW_DATABASE_PREFIX,
  };
  const server = settings.ORDERFLOW_DATABASE_URL ? parseDatabaseUrl('ORDERFLOW_DATABASE_URL', settings.ORDERFLOW_DATABASE_URL) : undefined;
  const overrides: DatabaseConfig['overrides'] = {};
  for (const service of serviceNames) {
    const url = env[serviceDatabaseUrlVariable(service)];
    if (url) overrides[service] = parseDatabaseUrl(serviceDatabaseUrlVariable(service), url);
  }
  return {
    host: server?.host ?? base.host,
    port: server?.port ?? base.port,
    user: server?.user ?? base.user,
    password: server ? server.password : base.password,
    databasePrefix: server?.database ? identifier.parse(server.database) : base.databasePrefix,
    maintenanceDatabase: settings.ORDERFLOW_MAINTENANCE_DATABASE,
    overrides,
  };
}

/** The connection a service's client and its migrations use. */
export function connectionFor(service: ServiceName, config: DatabaseConfig): ConnectionOptions {
  return (
    config.overrides[service] ?? {
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      database: `${config.databasePrefix}_${service}`,
    }
  );
}

/**
 * The inverse of the URL parsing, for handing a connection to a child process through the
 * environment. A socket directory goes in the `host` query parameter, as libpq writes it.
 */
export function connectionUrl(connection: ConnectionOptions): string {
  const url = new URL('postgresql://placeholder');
  if (isSocketDirectory(connection.host)) {
    url.hostname = 'localhost';
    url.searchParams.set('host', connection.host);
  } else {
    url.hostname = connection.host;
  }
  url.port = String(connection.port);
  url.username = encodeURIComponent(connection.user);
  if (connection.password !== undefined) url.password = encodeURIComponent(connection.password);
  url.pathname = `/${encodeURIComponent(connection.database)}`;
  return url.toString();
}

function parseDatabaseUrl(variable: string, value: string): ConnectionOptions {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DatabaseConfigError(`Expected ${variable} to be a postgresql:// URL, but it is not a URL`, { variable });
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new DatabaseConfigError(`Expected ${variable} to be a postgresql:// URL, but its protocol is ${url.protocol}`, { variable });
  }
  return {
    host: url.searchParams.get('host') || url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 5432,
    user: url.username ? decodeURIComponent(url.username) : 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
}
