/**
 * Per process and per decision, what a deployment changes against the last deployed version, as
 * output lines. Pure text, so tests and the CLI read the same thing.
 */
import { diffProcess, hasNoChanges, isLayoutOnly, type ElementRef, type ProcessChanges } from './bpmn-diff.js';
import { parseBpmnXml, type BpmnDocument, type ExecutableProcessRef } from './bpmn-document.js';
import type { ParsedDecision } from '../../infra/engine/dmn/decision-model.js';
import { parseDmn } from '../../infra/engine/dmn/dmn-parser.js';
import type { DeployedDecisionVersion, DeployedProcessVersion } from './deploy-resources.js';
import type { DecisionRef, DmnDocument } from './dmn-document.js';
import type { ModelDocument } from './model-document.js';
import { PreviousDeploymentKind, type PreviousDeployment } from './previous-deployment.js';

/** After a deployment: what Zeebe made of the process against the version that was the latest before. */
export function deployedChangeLines(document: BpmnDocument, deployed: DeployedProcessVersion, previous: PreviousDeployment): Promise<string[]> {
  return deployedLines({ noun: 'process', id: deployed.bpmnProcessId, version: deployed.version }, previous, (found) => changeLines(document, deployed.bpmnProcessId, found));
}

/** After a deployment: what Zeebe made of the decision against the version that was the latest before. */
export function deployedDecisionChangeLines(document: DmnDocument, deployed: DeployedDecisionVersion, previous: PreviousDeployment): Promise<string[]> {
  return deployedLines({ noun: 'decision', id: deployed.decisionId, version: deployed.version }, previous, (found) => decisionLines(document, deployed.decisionId, found));
}

/** For --dry-run: what deploying the file would do to the process, by Zeebe's rule (same resource name and bytes: duplicate). */
export function plannedChangeLines(document: BpmnDocument, process: ExecutableProcessRef, previous: PreviousDeployment): Promise<string[]> {
  return plannedLines('process', document, previous, (found) => changeLines(document, process.bpmnProcessId, found));
}

/** For --dry-run: what deploying the DMN file would do to one of its decisions, by the same rule. */
export function plannedDecisionChangeLines(document: DmnDocument, decision: DecisionRef, previous: PreviousDeployment): Promise<string[]> {
  return plannedLines('decision', document, previous, (found) => decisionLines(document, decision.decisionId, found));
}

type FoundDeployment = Extract<PreviousDeployment, { kind: typeof PreviousDeploymentKind.FOUND }>;
type Noun = 'process' | 'decision';
type ContentLines = (previous: FoundDeployment) => Promise<string[]>;

async function deployedLines(deployed: { noun: Noun; id: string; version: number }, previous: PreviousDeployment, contentLines: ContentLines): Promise<string[]> {
  if (previous.kind === PreviousDeploymentKind.UNKNOWN) return [`previous version unknown: ${previous.reason}`];
  if (previous.kind === PreviousDeploymentKind.NONE) {
    return deployed.version === 1
      ? [`new ${deployed.noun}`]
      : [`previous version unknown: the REST API lists no version of '${deployed.id}', but Zeebe made this version ${deployed.version}`];
  }
  if (deployed.version === previous.version) return ['unchanged (duplicate, version kept)'];
  return [`changed against version ${previous.version}:`, ...(await contentLines(previous))];
}

async function plannedLines(noun: Noun, document: ModelDocument, previous: PreviousDeployment, contentLines: ContentLines): Promise<string[]> {
  if (previous.kind === PreviousDeploymentKind.UNKNOWN) return [`previous version unknown: ${previous.reason}`];
  if (previous.kind === PreviousDeploymentKind.NONE) return [`new ${noun} (would be version 1)`];
  if (previous.resourceName === document.resourceName && previous.xml === document.content.toString('utf8')) {
    return [`unchanged (duplicate, version ${previous.version} kept)`];
  }
  return [`would be version ${previous.version + 1}, changed against version ${previous.version}:`, ...(await contentLines(previous))];
}

/** A decision as the engine parses it, compared part by part (logic, name, required decisions…) with the deployed one. */
async function decisionLines(document: DmnDocument, decisionId: string, previous: FoundDeployment): Promise<string[]> {
  const [deployed, edited] = await Promise.all([parseDmn(previous.xml), parseDmn(document.content.toString('utf8'))]);
  const before = deployed.ok ? deployed.drg.decisions.find((d) => d.id === decisionId) : undefined;
  const after = edited.ok ? edited.drg.decisions.find((d) => d.id === decisionId) : undefined;
  if (!before || !after) return [`  (the deployed XML could not be read as a DMN file with decision '${decisionId}')`];
  const parts = Object.keys({ ...before, ...after }) as (keyof ParsedDecision)[];
  const changed = parts.filter((part) => JSON.stringify(before[part]) !== JSON.stringify(after[part]));
  if (changed.length === 0) return [`  the decision is the same (${sameContentBecause(document, previous, 'decisions')})`];
  return [`  ~ changed  ${decisionId}${after.name ? ` "${after.name}"` : ''}: ${changed.join(', ')}`];
}

async function changeLines(document: BpmnDocument, bpmnProcessId: string, previous: FoundDeployment): Promise<string[]> {
  let changes: ProcessChanges;
  try {
    const deployed = await parseBpmnXml(previous.xml);
    changes = diffProcess(deployed.definitions, document.definitions, bpmnProcessId);
  } catch (error) {
    return [`  (the deployed XML could not be read: ${(error as Error).message.split('\n')[0]})`];
  }
  if (hasNoChanges(changes)) return [`  no element changed (${sameContentBecause(document, previous, 'processes')})`];
  const lines = [
    ...changes.added.map((e) => `  + added    ${describe(e)}`),
    ...changes.removed.map((e) => `  - removed  ${describe(e)}`),
    ...changes.changed.map((e) => `  ~ changed  ${describe(e)}: ${e.properties.join(', ')}`),
  ];
  if (changes.layoutChanged.length) {
    const label = isLayoutOnly(changes) ? '  layout-only changes (moved on the diagram):' : '  moved on the diagram:';
    lines.push(`${label} ${changes.layoutChanged.map((e) => e.id).join(', ')}`);
  }
  return lines;
}

/** Why Zeebe made a new version of a process or decision that is the same. */
function sameContentBecause(document: ModelDocument, previous: FoundDeployment, others: 'processes' | 'decisions'): string {
  if (previous.xml !== document.content.toString('utf8')) return `the XML differs only in formatting or in other ${others} of the file`;
  return `the XML is the same, but it was deployed as '${previous.resourceName ?? 'an unknown resource name'}' and now as '${document.resourceName}': Zeebe keeps a version only for the same resource name and bytes`;
}

function describe(element: ElementRef): string {
  return `${element.id}${element.name ? ` "${element.name}"` : ''} (${element.type})`;
}
