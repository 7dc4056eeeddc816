// bpmn-js-differ ships no type declarations; this is the part of its API the deploy command uses.
declare module 'bpmn-js-differ' {
  interface DiffedElement { $type: string; id: string; name?: string }
  export interface DiffResult {
    _added: Record<string, DiffedElement>;
    _removed: Record<string, DiffedElement>;
    _changed: Record<string, { model: DiffedElement; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
    _layoutChanged: Record<string, DiffedElement>;
  }
  export function diff(oldDefinitions: unknown, newDefinitions: unknown): DiffResult;
}
