/**
 * A BPMN file as bpmnlint, bpmn-js-differ and the deployment see it: its bytes, and its moddle tree
 * read with bpmn-moddle and zeebe-bpmn-moddle (the same meta-models as the engine's parser).
 */
import path from 'node:path';
import { BpmnModdle, type ParseWarning } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import type { ModdleElement } from '../../infra/engine/model/bpmn-transformer.js';
import type { UnreadableModel } from './model-document.js';

export type { ModdleElement };

export interface ExecutableProcessRef {
  bpmnProcessId: string;
  name: string | undefined;
}

export interface BpmnDocument {
  kind: 'bpmn';
  /** The path as given on the command line. */
  file: string;
  /** The name the deployment carries: the file name, as Camunda Modeler deploys it. */
  resourceName: string;
  content: Buffer;
  definitions: ModdleElement;
  /** What bpmn-moddle could read but not understand (unknown elements or attributes). */
  importWarnings: ParseWarning[];
  processes: ExecutableProcessRef[];
}

const moddle = new BpmnModdle({ zeebe: zeebeSchema });

/** Parses BPMN XML. @throws Error with bpmn-moddle's reason when the XML is not a BPMN document. */
export async function parseBpmnXml(xml: string): Promise<{ definitions: ModdleElement; importWarnings: ParseWarning[] }> {
  const { rootElement, warnings } = await moddle.fromXML(xml);
  const definitions = rootElement as ModdleElement;
  if (definitions?.$type !== 'bpmn:Definitions') throw new Error(`Expected a bpmn:definitions root element, but found ${definitions?.$type ?? 'none'}`);
  return { definitions, importWarnings: warnings };
}

/** Parses the bytes of one file; never throws, so every file of a run can be reported on. */
export async function bpmnDocumentOf(file: string, content: Buffer): Promise<BpmnDocument | UnreadableModel> {
  try {
    const { definitions, importWarnings } = await parseBpmnXml(content.toString('utf8'));
    return { kind: 'bpmn', file, resourceName: path.basename(file), content, definitions, importWarnings, processes: executableProcesses(definitions) };
  } catch (error) {
    return { file, stage: 'parse', problem: `not parseable BPMN: ${oneLine(error)}` };
  }
}

/** The processes Zeebe deploys from the file: every process not marked `isExecutable="false"`. */
export function executableProcesses(definitions: ModdleElement): ExecutableProcessRef[] {
  return ((definitions.rootElements ?? []) as ModdleElement[])
    .filter((element) => element.$type === 'bpmn:Process' && element.isExecutable !== false && element.id)
    .map((element) => ({ bpmnProcessId: element.id!, name: element.name }));
}

function oneLine(error: unknown): string {
  return ((error as Error).message ?? String(error)).split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}
