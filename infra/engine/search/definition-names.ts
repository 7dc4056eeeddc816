/**
 * The names a deployed process carries in its XML (process name, version tag, element names),
 * which the engine's records do not: Camunda's exporter reads them from the BPMN model the same way.
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

export interface DefinitionNames {
  name: string | undefined;
  versionTag: string | undefined;
  /** Element id → name, for the elements that have one. */
  elements: Map<string, string>;
}

interface ModdleNode {
  $type: string;
  id?: string;
  name?: string;
  value?: string;
  flowElements?: ModdleNode[];
  rootElements?: ModdleNode[];
  extensionElements?: { values?: ModdleNode[] };
}

const moddle = new BpmnModdle({ zeebe: zeebeSchema });

/** Reads the names of process `bpmnProcessId`; empty names when the XML does not parse. */
export async function readDefinitionNames(xml: string, bpmnProcessId: string): Promise<DefinitionNames> {
  const names: DefinitionNames = { name: undefined, versionTag: undefined, elements: new Map() };
  let root: ModdleNode;
  try {
    root = (await moddle.fromXML(xml)).rootElement as unknown as ModdleNode;
  } catch {
    return names;
  }
  const process = (root.rootElements ?? []).find((e) => e.$type === 'bpmn:Process' && e.id === bpmnProcessId);
  if (!process) return names;
  names.name = process.name;
  // The process is an element instance too (type PROCESS), named like the process.
  if (process.name) names.elements.set(bpmnProcessId, process.name);
  names.versionTag = process.extensionElements?.values?.find((v) => v.$type === 'zeebe:VersionTag')?.value;
  collectElementNames(process, names.elements);
  return names;
}

function collectElementNames(container: ModdleNode, into: Map<string, string>): void {
  for (const element of container.flowElements ?? []) {
    if (element.id && element.name) into.set(element.id, element.name);
    if (element.flowElements) collectElementNames(element, into);
  }
}
