/**
 * A DMN file as the deploy command sees it: its bytes, and what the engine's own DMN parser makes
 * of it (infra/engine/dmn), so the lint refuses exactly what the engine would refuse.
 */
import path from 'node:path';
import { parseDmn } from '../../infra/engine/dmn/dmn-parser.js';
import type { ValidationError } from '../../infra/engine/model/bpmn-validator.js';

export interface DecisionRef {
  decisionId: string;
  name: string;
}

export interface DmnDocument {
  kind: 'dmn';
  /** The path as given on the command line. */
  file: string;
  /** The name the deployment carries: the file name, as Camunda Modeler deploys it. */
  resourceName: string;
  content: Buffer;
  /** The decisions Zeebe deploys from the file; empty when the file has problems. */
  decisions: DecisionRef[];
  /** Why the engine would refuse the file, each with the element it is about; empty when it would deploy it. */
  problems: ValidationError[];
}

/** Parses the bytes of one file as the engine does at deployment; never throws. */
export async function dmnDocumentOf(file: string, content: Buffer): Promise<DmnDocument> {
  const parsed = await parseDmn(content.toString('utf8'));
  const decisions = parsed.ok ? parsed.drg.decisions.map((d) => ({ decisionId: d.id, name: d.name })) : [];
  return { kind: 'dmn', file, resourceName: path.basename(file), content, decisions, problems: parsed.ok ? [] : parsed.problems };
}
