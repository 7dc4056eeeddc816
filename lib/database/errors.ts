import { OrderflowError } from '../errors.js';
import { describeServer } from './server-address.js';

/** Base of the errors thrown by `lib/database`; `code` is stable, `context` names what was involved. */
export class DatabaseError extends OrderflowError {}

/** Thrown when the environment does not describe a usable database connection. */
export class DatabaseConfigError extends DatabaseError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('DATABASE_CONFIG_INVALID', message, context);
  }
}

/** Thrown when PostgreSQL does not answer at the configured host and port; retrying later may succeed. */
export class DatabaseUnreachableError extends DatabaseError {
  readonly retryable = true;
  constructor(host: string, port: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'DATABASE_UNREACHABLE',
      `Expected PostgreSQL to answer at ${describeServer(host, port)}, but it did not (${reason}). ` +
        'Start it, or point ORDERFLOW_DATABASE_URL / PGHOST / PGPORT at a running server.',
      { host, port },
      { cause },
    );
  }
}

/** Thrown when `prisma migrate deploy` fails for a service's database; `context.output` holds Prisma's output. */
export class MigrationFailedError extends DatabaseError {
  constructor(service: string, database: string, output: string) {
    super('MIGRATION_FAILED', `Expected the migrations of ${service} to apply to database ${database}, but prisma migrate deploy failed:\n${output}`, {
      service,
      database,
      output,
    });
  }
}

/** Thrown by the outbox relay when `publish` rejects; the rows published before it stay marked, the rest are retried. */
export class OutboxPublishError extends DatabaseError {
  readonly retryable = true;
  constructor(messageId: string, cause: unknown) {
    super('OUTBOX_PUBLISH_FAILED', `Expected outbox message ${messageId} to be published, but publish failed`, { messageId }, { cause });
  }
}
