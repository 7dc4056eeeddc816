/**
 * The files `npm run deploy` takes, told apart by extension: `.bpmn` processes and `.dmn`
 * decisions. Each is read once, for the lint, the change report and the deployment.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bpmnDocumentOf, type BpmnDocument } from './bpmn-document.js';
import { dmnDocumentOf, type DmnDocument } from './dmn-document.js';
import { DeployUsageError } from './errors.js';

export type ModelDocument = BpmnDocument | DmnDocument;

/** A file that could not be read, or not as BPMN at all, with why. */
export interface UnreadableModel {
  file: string;
  /** `read`: the file could not be read; `parse`: it is not BPMN XML. */
  stage: 'read' | 'parse';
  problem: string;
}

const READERS: Record<string, (file: string, content: Buffer) => Promise<ModelDocument | UnreadableModel>> = {
  '.bpmn': bpmnDocumentOf,
  '.dmn': dmnDocumentOf,
};

const readerOf = (file: string) => READERS[path.extname(file).toLowerCase()];

/**
 * Refuses the run before anything is read when a file is neither BPMN nor DMN.
 * @throws DeployUsageError naming every such file.
 */
export function assertModelFiles(files: string[]): void {
  const others = files.filter((file) => !readerOf(file));
  if (others.length) throw new DeployUsageError(`Expected .bpmn or .dmn files, but got ${others.join(', ')}`);
}

/** Reads and parses one file by its extension; never throws, so every file of a run can be reported on. */
export async function readModelDocument(file: string): Promise<ModelDocument | UnreadableModel> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    return { file, stage: 'read', problem: `cannot read the file: ${(error as Error).message}` };
  }
  return readerOf(file)!(file, content);
}

export function isModelDocument(document: ModelDocument | UnreadableModel): document is ModelDocument {
  return 'kind' in document;
}
