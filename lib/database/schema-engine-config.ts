import { createRequire } from 'node:module';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig, type PrismaConfigInternal } from 'prisma/config';
import { connectionFor, loadDatabaseConfig } from './database-config.js';
import { dataAccessDirectory, type ServiceName } from './service-databases.js';

/**
 * pg_catalog column types the schema engine reads but @prisma/adapter-pg 6.19 cannot map
 * ("char", name, int2vector, oidvector, and friends); read as text they are what the engine expects.
 */
const CATALOG_TYPE_OIDS_READ_AS_TEXT = new Set([18, 19, 22, 24, 30, 194, 2205]);
const TEXT_TYPE_OID = 25;
const patched = Symbol.for('orderflow.schemaEngineCatalogTypesPatched');

interface FieldDescription {
  dataTypeID: number;
}
interface PgResultClass {
  prototype: { addFields(fields: FieldDescription[]): void; [patched]?: true };
}

/**
 * Makes `pg` hand catalog types to the adapter as text. Only the migration CLI needs this, so only
 * prisma.config.ts files call it; the pg module is the one @prisma/adapter-pg itself loads.
 */
function readCatalogTypesAsText(): void {
  const requireFromAdapter = createRequire(createRequire(import.meta.url).resolve('@prisma/adapter-pg'));
  const Result = requireFromAdapter('pg/lib/result.js') as PgResultClass;
  if (Result.prototype[patched]) return;
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function addFieldsReadingCatalogTypesAsText(fields) {
    for (const field of fields) {
      if (CATALOG_TYPE_OIDS_READ_AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT_TYPE_OID;
    }
    addFields.call(this, fields);
  };
  Result.prototype[patched] = true;
}

/**
 * The prisma.config.ts of a service: its schema and migrations under `services/<service>/data-access/`,
 * applied by Prisma's JavaScript schema engine (no native engine download) to the database from
 * `loadDatabaseConfig()`. Discrete connection fields, not a connection string: pg lets a connection
 * string override `database`, which would send the shadow database's work to the main one.
 */
export function defineServicePrismaConfig(service: ServiceName): PrismaConfigInternal {
  const directory = dataAccessDirectory(service);
  // The schema's datasource URL is only read, never connected to; without it Prisma's CLI falls back
  // to the native engines and tries to download them.
  process.env.ORDERFLOW_PRISMA_PLACEHOLDER_URL ??= 'postgresql://placeholder.invalid/driver-adapter-in-use';
  return defineConfig({
    experimental: { adapter: true },
    engine: 'js',
    schema: `${directory}schema.prisma`,
    migrations: { path: `${directory}migrations` },
    async adapter() {
      readCatalogTypesAsText();
      return new PrismaPg(connectionFor(service, loadDatabaseConfig()));
    },
  });
}
