/**
 * What changed in one process between two versions of its BPMN, computed with bpmn-js-differ:
 * elements added, removed and changed (with the properties that changed), and elements that only
 * moved on the diagram.
 */
import { diff, type DiffResult } from 'bpmn-js-differ';
import type { ModdleElement } from './bpmn-document.js';

export interface ElementRef {
  id: string;
  name: string | undefined;
  /** The BPMN type, e.g. `bpmn:ServiceTask`. */
  type: string;
}

export interface ChangedElement extends ElementRef {
  /** Properties whose value differs, e.g. `name` or `extensionElements`. */
  properties: string[];
}

export interface ProcessChanges {
  added: ElementRef[];
  removed: ElementRef[];
  changed: ChangedElement[];
  /** Elements whose shape or edge moved while the element itself stayed the same. */
  layoutChanged: ElementRef[];
}

/** Compares the process `bpmnProcessId` in two parsed documents; elements of other processes in the same file are left out. */
export function diffProcess(previous: ModdleElement, next: ModdleElement, bpmnProcessId: string): ProcessChanges {
  const oldElements = elementsOfProcess(previous, bpmnProcessId);
  const newElements = elementsOfProcess(next, bpmnProcessId);
  const inProcess = (id: string) => oldElements.has(id) || newElements.has(id);
  const result = diff(previous, next);
  const refs = (entries: Record<string, { $type: string; id: string; name?: string }>) =>
    Object.entries(entries).filter(([id]) => inProcess(id)).map(([id, element]) => ({ id, name: element.name, type: element.$type }));
  const changed = changedElements(result._changed, oldElements, newElements);
  const changedIds = new Set([...changed.map((e) => e.id), ...Object.keys(result._added), ...Object.keys(result._removed)]);
  return {
    added: refs(result._added),
    removed: refs(result._removed),
    changed,
    layoutChanged: refs(result._layoutChanged).filter((element) => !changedIds.has(element.id)),
  };
}

export function hasNoChanges(changes: ProcessChanges): boolean {
  return !changes.added.length && !changes.removed.length && !changes.changed.length && !changes.layoutChanged.length;
}

/** Only the diagram moved: what the process does is the same. */
export function isLayoutOnly(changes: ProcessChanges): boolean {
  return !changes.added.length && !changes.removed.length && !changes.changed.length && changes.layoutChanged.length > 0;
}

const SHARED_ROOT_ELEMENTS = new Set(['bpmn:Message', 'bpmn:Error', 'bpmn:Signal', 'bpmn:Escalation']);

/** The process and everything inside it (flow elements at any depth, lanes, artifacts), by id. */
function elementsOfProcess(definitions: ModdleElement, bpmnProcessId: string): Map<string, ModdleElement> {
  const found = new Map<string, ModdleElement>();
  const process = ((definitions.rootElements ?? []) as ModdleElement[]).find((e) => e.$type === 'bpmn:Process' && e.id === bpmnProcessId);
  const visit = (element: ModdleElement) => {
    if (element.id) found.set(element.id, element);
    const children: ModdleElement[] = [
      ...(element.flowElements ?? []), ...(element.artifacts ?? []),
      ...((element.laneSets ?? []) as ModdleElement[]).flatMap((set) => set.lanes ?? []),
      ...(element.childLaneSet?.lanes ?? []),
    ];
    children.forEach(visit);
  };
  if (process) visit(process);
  // Messages, errors, signals and escalations are shared by the file's processes: a renamed message changes each of them.
  for (const shared of ((definitions.rootElements ?? []) as ModdleElement[]).filter((e) => SHARED_ROOT_ELEMENTS.has(e.$type))) {
    if (shared.id) found.set(shared.id, shared);
  }
  // A collaboration draws the process as a participant: its changes are the process's changes.
  for (const collaboration of ((definitions.rootElements ?? []) as ModdleElement[]).filter((e) => e.$type === 'bpmn:Collaboration')) {
    for (const participant of (collaboration.participants ?? []) as ModdleElement[]) {
      if (participant.processRef?.id === bpmnProcessId && participant.id) found.set(participant.id, participant);
    }
  }
  return found;
}

/**
 * bpmn-js-differ names the changed property of the element itself, but reports a change inside an
 * element without an id (a zeebe:taskDefinition) with no property, and misses one inside an event
 * definition (a timer's duration); so every element in both versions is compared here as well.
 */
function changedElements(reported: DiffResult['_changed'], oldElements: Map<string, ModdleElement>, newElements: Map<string, ModdleElement>): ChangedElement[] {
  const tracked = new Set([...oldElements.keys(), ...newElements.keys()]);
  const changed: ChangedElement[] = [];
  for (const [id, next] of newElements) {
    const previous = oldElements.get(id);
    if (!previous) continue;
    const properties = new Set([...Object.keys(reported[id]?.attrs ?? {}), ...differingProperties(previous, next, tracked)]);
    if (properties.size) changed.push({ id, name: next.name, type: next.$type, properties: [...properties] });
  }
  return changed;
}

function differingProperties(previous: ModdleElement, next: ModdleElement, tracked: Set<string>): string[] {
  const names = new Set([...Object.keys(previous), ...Object.keys(next)].filter((name) => !name.startsWith('$') && !IGNORED_PROPERTIES.has(name)));
  return [...names].filter((name) => canonical(previous[name], previous, tracked) !== canonical(next[name], next, tracked));
}

// Flow wiring shows up as added or removed sequence flows, a container's children as changes of
// their own, and DI is the layout.
const IGNORED_PROPERTIES = new Set(['incoming', 'outgoing', 'di', 'flowElements', 'artifacts', 'laneSets', 'childLaneSet']);

/**
 * A stable text for a property value: what the element holds (event definitions, extension
 * elements, expressions) in full; other elements it contains or refers to by id, since they are
 * compared on their own.
 */
function canonical(value: unknown, owner: ModdleElement, tracked: Set<string>): string {
  return JSON.stringify(value, (key: string, nested: unknown) => {
    if (key.startsWith('$') && key !== '$type' && key !== '$attrs') return undefined;
    // moddle creates an empty collection when one is first read (bpmnlint reads many): same as none.
    if (Array.isArray(nested) && nested.length === 0) return undefined;
    if (!isModdleElement(nested)) return nested;
    if (nested.id && (tracked.has(nested.id) || !isInside(nested, owner))) return `#${nested.id}`;
    return { ...nested, $type: nested.$type };
  });
}

function isModdleElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as ModdleElement).$type === 'string';
}

function isInside(element: ModdleElement, container: ModdleElement): boolean {
  for (let parent = element.$parent as ModdleElement | undefined; parent; parent = parent.$parent) {
    if (parent === container) return true;
  }
  return false;
}
