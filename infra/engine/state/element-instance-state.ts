import type { ElementInstanceValue } from '../core/records.js';
import type { Db } from './database.js';
import { evictOldest } from './evict-oldest.js';

/** What the engine keeps on an element instance besides its record value. */
export interface ElementInstanceData {
  /** Child element instances that are not yet completed or terminated. */
  activeChildren: number;
  /** Sequence flows taken in this scope whose target has not been activated yet. */
  activeFlows: number;
  /** Parallel and inclusive gateway joins: the incoming flows taken so far, per gateway. */
  joins?: Record<string, string[]>;
  /** Set when an interrupting event has been triggered in this scope. */
  interruptingElementId?: string;
  jobKey?: number;
  calledChildInstanceKey?: number;
  /** Multi-instance bodies. */
  loopCounter?: number;
  inputCollection?: unknown[];
  completedInstances?: number;
  /** Inner instances of a multi-instance body that were terminated while it went on. */
  terminatedChildren?: number;
  /** Inner instances of a multi-instance body. */
  loopIndex?: number;
  /**
   * A process instance started at other elements than its none start event, or a sub-process a
   * modification created on the way to the elements it activates: it starts at the first step of
   * each path instead of its start event, and hands the rest of each path to that step's instance.
   */
  startPaths?: ScopePathStep[][];
}

/** One element on a modification's path to the element it activates, and the variables its new instance gets. */
export interface ScopePathStep {
  elementId: string;
  variables: Record<string, unknown>[];
}

export interface ElementInstance {
  key: number;
  state: string;
  value: ElementInstanceValue;
  data: ElementInstanceData;
}

type Row = { key: number; state: string; record: string; data: string };

/**
 * Committed instances kept in memory between batches: the instances a running process instance
 * touches again (its process and the task a job completes) are read without a query. Bounded, so
 * memory does not grow with the number of waiting instances.
 */
const CACHED_INSTANCES = 4_096;

/**
 * Element instances, with a write-back cache: an instance changes several times in a batch (and
 * short-lived ones are created and removed in it), so rows are written once, by {@link flush}
 * before the batch commits. A row's record value never changes after creation, so an update
 * writes only the state and the engine data.
 */
export class ElementInstanceState {
  private readonly select;
  private readonly selectChildren;
  private readonly insert;
  private readonly update;
  private readonly remove;
  /** Instances read or written in this batch or cached from earlier ones; null once removed in this batch. */
  private readonly cache = new Map<number, ElementInstance | null>();
  private readonly dirty = new Set<number>();
  /** Created in this batch, not yet in the table. */
  private readonly created = new Set<number>();
  /** Created and removed in this batch: never written, dropped from the cache after the batch. */
  private discarded: number[] = [];

  constructor(db: Db) {
    this.select = db.prepare<[number], Row>('SELECT key, state, record, data FROM element_instances WHERE key = ?');
    this.selectChildren = db.prepare<[number], Row>('SELECT key, state, record, data FROM element_instances WHERE flow_scope_key = ? ORDER BY key');
    this.insert = db.prepare('INSERT OR REPLACE INTO element_instances (key, process_instance_key, flow_scope_key, element_id, state, record, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.update = db.prepare('UPDATE element_instances SET state = ?, data = ? WHERE key = ?');
    this.remove = db.prepare('DELETE FROM element_instances WHERE key = ?');
  }

  get(key: number): ElementInstance | undefined {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.select.get(key);
    const instance = row ? toInstance(row) : undefined;
    this.cache.set(key, instance ?? null);
    return instance;
  }

  /** The children of a scope, in creation order, as this batch sees them. */
  children(flowScopeKey: number): ElementInstance[] {
    const stored = this.selectChildren.all(flowScopeKey).map((row) => {
      const cached = this.cache.get(row.key);
      return cached === undefined ? this.remember(toInstance(row)) : cached;
    });
    const fresh = [...this.created].map((key) => this.cache.get(key)).filter((i) => i?.value.flowScopeKey === flowScopeKey);
    return [...stored, ...fresh].filter((i): i is ElementInstance => !!i).sort((a, b) => a.key - b.key);
  }

  create(instance: ElementInstance): void {
    this.cache.set(instance.key, instance);
    this.created.add(instance.key);
    this.dirty.add(instance.key);
  }

  save(instance: ElementInstance): void {
    this.cache.set(instance.key, instance);
    this.dirty.add(instance.key);
  }

  delete(key: number): void {
    this.cache.set(key, null);
    if (this.created.delete(key)) {
      this.dirty.delete(key);
      this.discarded.push(key);
    } else {
      this.dirty.add(key);
    }
  }

  /** Writes what the batch changed; runs inside the batch transaction. */
  flush(): void {
    for (const key of this.dirty) {
      const instance = this.cache.get(key);
      if (!instance) {
        this.remove.run(key);
        this.cache.delete(key);
      } else if (this.created.has(key)) {
        const v = instance.value;
        this.insert.run(key, v.processInstanceKey, v.flowScopeKey, v.elementId, instance.state, JSON.stringify(v), JSON.stringify(instance.data));
      } else {
        this.update.run(instance.state, JSON.stringify(instance.data), key);
      }
    }
    this.dirty.clear();
    this.created.clear();
  }

  /** After a commit: what is cached is now what the table holds; the oldest entries leave first. */
  reset(): void {
    this.dirty.clear();
    this.created.clear();
    for (const key of this.discarded) this.cache.delete(key);
    this.discarded = [];
    evictOldest(this.cache, CACHED_INSTANCES);
  }

  /** After a rollback: cached instances may carry the void batch's changes. */
  forget(): void {
    this.cache.clear();
    this.dirty.clear();
    this.created.clear();
    this.discarded = [];
  }

  private remember(instance: ElementInstance): ElementInstance {
    this.cache.set(instance.key, instance);
    return instance;
  }
}

function toInstance(row: Row): ElementInstance {
  return { key: row.key, state: row.state, value: JSON.parse(row.record), data: JSON.parse(row.data) };
}
