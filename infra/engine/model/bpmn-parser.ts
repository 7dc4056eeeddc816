/**
 * Reads BPMN XML with bpmn-moddle and zeebe-bpmn-moddle, and returns the executable processes it
 * defines or every reason Zeebe would refuse it.
 */
import { createHash } from 'node:crypto';
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import type { ExecutableProcess } from './executable-model.js';
import { transformProcess, type ModdleElement } from './bpmn-transformer.js';
import { unsupportedElements, validateProcess, type ValidationError } from './bpmn-validator.js';
import { duplicatedIds, extensionAndReferenceErrors, messagesOfSeveralStartEvents, missingIds } from './definitions-rules.js';

export interface ParsedResource {
  resourceName: string;
  checksum: string;
  processes: ExecutableProcess[];
  errors: ValidationError[];
}

const moddle = new BpmnModdle({ zeebe: zeebeSchema });

export function checksumOf(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export async function parseBpmn(resourceName: string, content: Buffer | string): Promise<ParsedResource> {
  const checksum = checksumOf(content);
  const xml = content.toString();
  let definitions: ModdleElement;
  try {
    const result = await moddle.fromXML(xml);
    definitions = result.rootElement as unknown as ModdleElement;
    // An unresolved reference is a flow, boundary or default pointing at no element: Zeebe refuses it too.
    const warnings = result.warnings as { message: string; element?: { id?: string }; error?: { message?: string } }[];
    const duplicates = duplicatedIds(warnings);
    if (duplicates.length) return { resourceName, checksum, processes: [], errors: duplicates };
    const unknown = warnings.filter((w) => /unknown type|unparsable|unresolved reference/.test(w.message));
    if (unknown.length) {
      return { resourceName, checksum, processes: [], errors: unknown.map((w) => ({ elementId: w.element?.id ?? '?', message: w.message.split('\n')[0]! })) };
    }
  } catch (error) {
    return { resourceName, checksum, processes: [], errors: [{ elementId: '?', message: `Expected a well-formed BPMN XML document, but ${(error as Error).message.split('\n').join(' ')}` }] };
  }
  if (definitions.$type !== 'bpmn:Definitions') {
    return { resourceName, checksum, processes: [], errors: [{ elementId: '?', message: 'Expected a bpmn:definitions root element' }] };
  }
  const moddleProcesses = ((definitions.rootElements ?? []) as ModdleElement[]).filter((e) => e.$type === 'bpmn:Process' && e.isExecutable !== false);
  if (moddleProcesses.length === 0) {
    return { resourceName, checksum, processes: [], errors: [{ elementId: definitions.id ?? '?', message: 'Must contain at least one executable process' }] };
  }
  const errors: ValidationError[] = [...messagesOfSeveralStartEvents(definitions)];
  const processes: ExecutableProcess[] = [];
  for (const moddleProcess of moddleProcesses) {
    const unidentified = missingIds(moddleProcess, definitions.id);
    errors.push(...unidentified, ...unsupportedElements(moddleProcess), ...extensionAndReferenceErrors(moddleProcess));
    // A process without an id cannot be transformed; its refusal above says why.
    if (!moddleProcess.id) continue;
    const process = transformProcess(moddleProcess);
    errors.push(...validateProcess(process));
    processes.push(process);
  }
  return { resourceName, checksum, processes, errors };
}

/** Zeebe's wording for a refused deployment, so clients show the same text against both engines. */
export function describeRejection(resources: ParsedResource[]): string {
  const parts = resources
    .filter((r) => r.errors.length)
    .flatMap((r) => {
      const ofResource = r.errors.filter((e) => e.elementId === undefined).map((e) => `'${r.resourceName}': ${e.message}`);
      const ofElements = r.errors.filter((e) => e.elementId !== undefined).map((e) => `- Element: ${e.elementId}\n    - ERROR: ${e.message}`);
      return [...ofResource, ...(ofElements.length ? [`'${r.resourceName}':\n${ofElements.join('\n')}`] : [])];
    });
  return deploymentRefusal(parts);
}

/** Zeebe's reason for refusing a deployment, one line (or block) per error found. */
export function deploymentRefusal(errors: string[]): string {
  return `Expected to deploy new resources, but encountered the following errors:\n${errors.join('\n')}`;
}

/**
 * Zeebe's check across the resources of one deployment: a process id is defined by one resource
 * only. Returns the refusal's lines, empty when every id is defined once.
 */
export function duplicatedProcessIds(resources: ParsedResource[]): string[] {
  const firstResourceOf = new Map<string, string>();
  const duplicates: string[] = [];
  for (const resource of resources) {
    for (const process of resource.processes) {
      const first = firstResourceOf.get(process.bpmnProcessId);
      if (first !== undefined) duplicates.push(`Duplicated process id in resources '${first}' and '${resource.resourceName}'`);
      else firstResourceOf.set(process.bpmnProcessId, resource.resourceName);
    }
  }
  return duplicates;
}
