import type { ElementInstanceValue } from '../core/records.js';
import type { Db } from './database.js';

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
  /** Inner instances of a multi-instance body. */
  loopIndex?: number;
  /** A process instance started at another element than its none start event. */
  startElementId?: string;
}

export interface ElementInstance {
  key: number;
  state: string;
  value: ElementInstanceValue;
  data: ElementInstanceData;
}

type Row = { key: number; state: string; record: string; data: string };

export class ElementInstanceState {
  private readonly select;
  private readonly selectChildren;
  private readonly insert;
  private readonly update;
  private readonly remove;
  /** Reads in a batch repeat a lot; the cache is dropped when the batch ends. */
  private readonly cache = new Map<number, ElementInstance | null>();

  constructor(db: Db) {
    this.select = db.prepare<[number], Row>('SELECT key, state, record, data FROM element_instances WHERE key = ?');
    this.selectChildren = db.prepare<[number], Row>('SELECT key, state, record, data FROM element_instances WHERE flow_scope_key = ? ORDER BY key');
    this.insert = db.prepare('INSERT INTO element_instances (key, process_instance_key, flow_scope_key, element_id, state, record, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.update = db.prepare('UPDATE element_instances SET state = ?, record = ?, data = ? WHERE key = ?');
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

  children(flowScopeKey: number): ElementInstance[] {
    return this.selectChildren.all(flowScopeKey).map((row) => this.get(row.key) ?? toInstance(row));
  }

  create(instance: ElementInstance): void {
    this.insert.run(instance.key, instance.value.processInstanceKey, instance.value.flowScopeKey, instance.value.elementId, instance.state, JSON.stringify(instance.value), JSON.stringify(instance.data));
    this.cache.set(instance.key, instance);
  }

  save(instance: ElementInstance): void {
    this.update.run(instance.state, JSON.stringify(instance.value), JSON.stringify(instance.data), instance.key);
    this.cache.set(instance.key, instance);
  }

  delete(key: number): void {
    this.remove.run(key);
    this.cache.set(key, null);
  }

  clearCache(): void {
    this.cache.clear();
  }
}

function toInstance(row: Row): ElementInstance {
  return { key: row.key, state: row.state, value: JSON.parse(row.record), data: JSON.parse(row.data) };
}
