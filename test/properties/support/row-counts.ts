/** Rows per table of a service database, to show a refused request wrote nothing. */
import type { SqlExecutor } from '../../../lib/database/sql-client.js';

/** `{table: rows}` for every table of the service's schema except Prisma's migration log. */
export async function rowCounts(db: SqlExecutor): Promise<Record<string, number>> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ rows: number }[]>(`SELECT count(*)::int AS rows FROM "${name.replaceAll('"', '""')}"`);
    counts[name] = row!.rows;
  }
  return counts;
}
