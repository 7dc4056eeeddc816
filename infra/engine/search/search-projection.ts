/**
 * The search projection: Camunda's exporter and secondary storage in one. It follows the engine's
 * record stream (`onRecords`, after each batch committed) and writes what the REST API searches
 * into its own SQLite file, many engine batches per transaction, a few milliseconds behind the
 * engine — eventually consistent, as Camunda's search is. It never reads the engine's runtime
 * state: on open it catches up from the engine's record log at the position it last wrote.
 */
import type { Logger } from 'pino';
import type { EngineRecord } from '../core/records.js';
import type { EmbeddedEngine } from '../embedded-engine.js';
import { readDefinitionNames } from './definition-names.js';
import { ProjectionWriter } from './projection-writer.js';
import { projectRecord } from './record-projectors.js';
import { clearSearchDatabase, openSearchDatabase, readMeta, writeMeta, type SearchDb } from './search-database.js';

export interface SearchProjectionOptions {
  engine: Pick<EmbeddedEngine, 'onRecords' | 'state'>;
  /** Where `search.sqlite` lives; in memory when undefined (then rebuilt at every start). */
  dataDir?: string;
  logger: Logger;
  /** How long records wait to be written together; 20 ms unless given. */
  flushDelayMs?: number;
}

/** Records read from the record log per transaction while catching up. */
const CATCH_UP_CHUNK = 10_000;
/** A flush starts early once this many records are waiting, to bound memory under load. */
const MAX_PENDING_RECORDS = 20_000;

export class SearchProjection {
  readonly db: SearchDb;
  private readonly writer: ProjectionWriter;
  private readonly logger: Logger;
  private readonly flushDelayMs: number;
  private readonly unsubscribe: () => void;
  private pending: EngineRecord[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private lastPosition: number;
  private describing: Promise<void> = Promise.resolve();
  private closed = false;

  /**
   * Opens the projection's store, catches up with the record log, then follows the engine. Both
   * happen in one synchronous turn, so no record falls between them.
   */
  constructor(private readonly options: SearchProjectionOptions) {
    this.logger = options.logger.child({ component: 'search-projection' });
    this.flushDelayMs = options.flushDelayMs ?? 20;
    this.db = openSearchDatabase(options.dataDir);
    this.writer = new ProjectionWriter(this.db);
    this.lastPosition = Number(readMeta(this.db, 'position') ?? 0);
    this.catchUp();
    this.unsubscribe = options.engine.onRecords((records) => this.enqueue(records));
    this.describeDefinitions(this.undescribedDefinitions());
  }

  /** The position of the last record written; the API's answers reflect every record up to it. */
  get position(): number {
    return this.lastPosition;
  }

  /** Writes what is waiting, stops following the engine and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.unsubscribe();
    this.flush();
    this.closed = true;
    await this.describing;
    this.db.close();
  }

  private enqueue(records: EngineRecord[]): void {
    if (this.closed) return;
    for (const record of records) this.pending.push(record);
    if (this.pending.length >= MAX_PENDING_RECORDS) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.flushDelayMs);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0 || this.closed) return;
    const records = this.pending;
    this.pending = [];
    try {
      this.write(records);
    } catch (error) {
      // The records stay in the log: the next start re-projects them from lastPosition.
      this.logger.error({ err: error, records: records.length, position: this.lastPosition }, 'search projection write failed');
      return;
    }
    this.describeDefinitions(this.writer.takeNewDefinitions());
  }

  private write(records: EngineRecord[]): void {
    this.db.transaction(() => {
      let position = this.lastPosition;
      for (const record of records) {
        // The log replayed at open may overlap the first records the engine hands out.
        if (record.position <= position) continue;
        projectRecord(record, this.writer);
        position = record.position;
      }
      this.writer.finish();
      writeMeta(this.db, 'position', String(position));
      this.lastPosition = position;
    })();
  }

  /** Re-projects what the engine logged since the last write; rebuilds when the log is not the one projected. */
  private catchUp(): void {
    const log = this.options.engine.state.db;
    const last = log.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM records').get()?.position ?? 0;
    if (last < this.lastPosition) {
      this.logger.warn({ projected: this.lastPosition, logged: last }, 'search projection ahead of the record log, rebuilding');
      clearSearchDatabase(this.db);
      this.lastPosition = 0;
    }
    const read = log.prepare<[number, number], { record: string }>('SELECT record FROM records WHERE position > ? ORDER BY position LIMIT ?');
    const from = this.lastPosition;
    for (;;) {
      const rows = read.all(this.lastPosition, CATCH_UP_CHUNK);
      if (rows.length === 0) break;
      this.write(rows.map((row) => JSON.parse(row.record) as EngineRecord));
    }
    if (this.lastPosition > from) this.logger.info({ from, to: this.lastPosition }, 'search projection caught up with the record log');
  }

  private undescribedDefinitions(): number[] {
    return this.db.prepare<[], { key: number }>('SELECT key FROM process_definitions WHERE described = 0').all().map((row) => row.key);
  }

  /** Process and element names come from the XML, parsed off the write path and stored later. */
  private describeDefinitions(keys: number[]): void {
    if (keys.length === 0) return;
    this.describing = this.describing.then(async () => {
      for (const key of keys) {
        if (this.closed && !this.db.open) return;
        const row = this.db.prepare<[number], { xml: string; bpmn_process_id: string }>('SELECT xml, bpmn_process_id FROM process_definitions WHERE key = ?').get(key);
        if (!row) continue;
        const names = await readDefinitionNames(row.xml, row.bpmn_process_id);
        if (!this.db.open) return;
        this.db.transaction(() => {
          const insert = this.db.prepare('INSERT OR REPLACE INTO element_names (process_definition_key, element_id, name) VALUES (?, ?, ?)');
          for (const [elementId, name] of names.elements) insert.run(key, elementId, name);
          this.db.prepare('UPDATE process_definitions SET name = ?, version_tag = ?, described = 1 WHERE key = ?').run(names.name ?? null, names.versionTag ?? null, key);
        })();
      }
    }).catch((error: unknown) => this.logger.error({ err: error }, 'reading process names failed'));
  }
}
