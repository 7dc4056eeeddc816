/**
 * One applier per (valueType, intent): the only code that changes engine state. Replaying the
 * same events on the same state gives the same state.
 */
import type { ValueType } from '../../core/records.js';
import type { EngineState } from '../../state/engine-state.js';

export type Applier<V = any> = (key: number, value: V, meta: Record<string, unknown> | undefined) => void;

export type ApplierTable = Partial<Record<ValueType, Record<string, Applier>>>;

export class Appliers {
  private readonly table = new Map<string, Applier>();

  constructor(tables: ApplierTable[]) {
    for (const entry of tables) {
      for (const [valueType, intents] of Object.entries(entry)) {
        for (const [intent, applier] of Object.entries(intents ?? {})) this.table.set(`${valueType}:${intent}`, applier);
      }
    }
  }

  apply(key: number, valueType: ValueType, intent: string, value: unknown, meta: Record<string, unknown> | undefined): void {
    // Events without an applier only go to the record log (e.g. MESSAGE_SUBSCRIPTION CORRELATED).
    this.table.get(`${valueType}:${intent}`)?.(key, value, meta);
  }
}

export type ApplierFactory = (state: EngineState) => ApplierTable;
