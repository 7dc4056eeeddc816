import type { Db } from './database.js';

export interface StoredVariable {
  key: number;
  scopeKey: number;
  name: string;
  value: unknown;
}

/** Variables per scope (element instance key); lookups walk up the scopes through a parent function. */
export class VariableState {
  private readonly selectOne;
  private readonly selectScope;
  private readonly upsert;
  private readonly removeScope;

  constructor(db: Db) {
    this.selectOne = db.prepare<[number, string], { key: number; value: string }>('SELECT key, value FROM variables WHERE scope_key = ? AND name = ?');
    this.selectScope = db.prepare<[number], { key: number; name: string; value: string }>('SELECT key, name, value FROM variables WHERE scope_key = ?');
    this.upsert = db.prepare('INSERT INTO variables (scope_key, name, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (scope_key, name) DO UPDATE SET value = excluded.value');
    this.removeScope = db.prepare('DELETE FROM variables WHERE scope_key = ?');
  }

  getLocal(scopeKey: number, name: string): StoredVariable | undefined {
    const row = this.selectOne.get(scopeKey, name);
    return row ? { key: row.key, scopeKey, name, value: JSON.parse(row.value) } : undefined;
  }

  local(scopeKey: number): StoredVariable[] {
    return this.selectScope.all(scopeKey).map((r) => ({ key: r.key, scopeKey, name: r.name, value: JSON.parse(r.value) }));
  }

  set(variable: StoredVariable): void {
    this.upsert.run(variable.scopeKey, variable.name, variable.key, JSON.stringify(variable.value ?? null));
  }

  removeAll(scopeKey: number): void {
    this.removeScope.run(scopeKey);
  }
}
