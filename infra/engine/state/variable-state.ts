import type { Db } from './database.js';

export interface StoredVariable {
  key: number;
  scopeKey: number;
  name: string;
  value: unknown;
}

/**
 * Variables per scope (element instance key). Reads are cached for the running batch, since a
 * scope chain is read for every expression and job; writes go straight to the table.
 */
export class VariableState {
  private readonly cache = new Map<number, Map<string, StoredVariable>>();

  private readonly selectScope;
  private readonly upsert;
  private readonly removeScope;

  constructor(db: Db) {
    this.selectScope = db.prepare<[number], { key: number; name: string; value: string }>('SELECT key, name, value FROM variables WHERE scope_key = ?');
    this.upsert = db.prepare('INSERT INTO variables (scope_key, name, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (scope_key, name) DO UPDATE SET value = excluded.value');
    this.removeScope = db.prepare('DELETE FROM variables WHERE scope_key = ?');
  }

  getLocal(scopeKey: number, name: string): StoredVariable | undefined {
    return this.scope(scopeKey).get(name);
  }

  local(scopeKey: number): StoredVariable[] {
    return [...this.scope(scopeKey).values()];
  }

  set(variable: StoredVariable): void {
    this.upsert.run(variable.scopeKey, variable.name, variable.key, JSON.stringify(variable.value ?? null));
    this.scope(variable.scopeKey).set(variable.name, variable);
  }

  removeAll(scopeKey: number): void {
    this.removeScope.run(scopeKey);
    this.cache.set(scopeKey, new Map());
  }

  /** Forgets cached reads: at the end of every batch, committed or rolled back. */
  reset(): void {
    this.cache.clear();
  }

  private scope(scopeKey: number): Map<string, StoredVariable> {
    let variables = this.cache.get(scopeKey);
    if (!variables) {
      variables = new Map(this.selectScope.all(scopeKey).map((r) => [r.name, { key: r.key, scopeKey, name: r.name, value: JSON.parse(r.value) }]));
      this.cache.set(scopeKey, variables);
    }
    return variables;
  }
}
