/**
 * Per process, what a deployment changes against the last deployed version, as output lines. Pure
 * text, so tests and the CLI read the same thing.
 */
import { diffProcess, hasNoChanges, isLayoutOnly, type ElementRef, type ProcessChanges } from './bpmn-diff.js';
import { parseBpmnXml, type BpmnDocument, type ExecutableProcessRef } from './bpmn-document.js';
import type { DeployedProcessVersion } from './deploy-resources.js';
import { PreviousDeploymentKind, type PreviousDeployment } from './previous-deployment.js';

/** After a deployment: what Zeebe made of the process against the version that was the latest before. */
export async function deployedChangeLines(document: BpmnDocument, deployed: DeployedProcessVersion, previous: PreviousDeployment): Promise<string[]> {
  if (previous.kind === PreviousDeploymentKind.UNKNOWN) return [`previous version unknown: ${previous.reason}`];
  if (previous.kind === PreviousDeploymentKind.NONE) {
    return deployed.version === 1
      ? ['new process']
      : [`previous version unknown: the REST API lists no version of '${deployed.bpmnProcessId}', but Zeebe made this version ${deployed.version}`];
  }
  if (deployed.version === previous.version) return ['unchanged (duplicate, version kept)'];
  return [`changed against version ${previous.version}:`, ...(await changeLines(document, deployed.bpmnProcessId, previous))];
}

/** For --dry-run: what deploying the file would do to the process, by Zeebe's rule (same resource name and bytes: duplicate). */
export async function plannedChangeLines(document: BpmnDocument, process: ExecutableProcessRef, previous: PreviousDeployment): Promise<string[]> {
  if (previous.kind === PreviousDeploymentKind.UNKNOWN) return [`previous version unknown: ${previous.reason}`];
  if (previous.kind === PreviousDeploymentKind.NONE) return ['new process (would be version 1)'];
  if (previous.resourceName === document.resourceName && previous.xml === document.content.toString('utf8')) {
    return [`unchanged (duplicate, version ${previous.version} kept)`];
  }
  return [`would be version ${previous.version + 1}, changed against version ${previous.version}:`, ...(await changeLines(document, process.bpmnProcessId, previous))];
}

type FoundDeployment = Extract<PreviousDeployment, { kind: typeof PreviousDeploymentKind.FOUND }>;

async function changeLines(document: BpmnDocument, bpmnProcessId: string, previous: FoundDeployment): Promise<string[]> {
  let changes: ProcessChanges;
  try {
    const deployed = await parseBpmnXml(previous.xml);
    changes = diffProcess(deployed.definitions, document.definitions, bpmnProcessId);
  } catch (error) {
    return [`  (the deployed XML could not be read: ${(error as Error).message.split('\n')[0]})`];
  }
  if (hasNoChanges(changes)) return [`  no element changed (${sameElementsBecause(document, previous)})`];
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

/** Why Zeebe made a new version of a process whose elements are all the same. */
function sameElementsBecause(document: BpmnDocument, previous: FoundDeployment): string {
  if (previous.xml !== document.content.toString('utf8')) return 'the XML differs only in formatting or in other processes of the file';
  return `the XML is the same, but it was deployed as '${previous.resourceName ?? 'an unknown resource name'}' and now as '${document.resourceName}': Zeebe keeps a version only for the same resource name and bytes`;
}

function describe(element: ElementRef): string {
  return `${element.id}${element.name ? ` "${element.name}"` : ''} (${element.type})`;
}
