/**
 * The deploying half of `npm run deploy`, after every file linted clean: reads the last deployed
 * versions, then deploys all files in one DeployResource call and reports per process and per
 * decision.
 */
import type { BpmnDocument } from './bpmn-document.js';
import type { DeployConfig } from './deploy-config.js';
import { deployedChangeLines, deployedDecisionChangeLines, plannedChangeLines, plannedDecisionChangeLines } from './change-report.js';
import type { DmnDocument } from './dmn-document.js';
import { deployResources, gatewayAddress, type DeploymentOutcome } from './deploy-resources.js';
import { DeployUsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import type { ModelDocument } from './model-document.js';
import { restPreviousDeploymentSource, type PreviousDeployment } from './previous-deployment.js';

export interface DeployOptions {
  dryRun: boolean;
  config: DeployConfig;
}

type Print = (line: string) => void;

/**
 * Deploys linted documents in one deployment (or, in a dry run, says what it would change) and
 * prints per process and per decision its key, version and changes against the last deployed
 * version.
 * @throws GatewayUnreachableError, DeploymentRejectedError (nothing deployed), DeployUsageError.
 */
export async function deployDocuments(documents: ModelDocument[], { dryRun, config }: DeployOptions, print: Print): Promise<ExitCode> {
  assertDistinctResourceNames(documents);
  const address = gatewayAddress(config.target);
  const bpmnDocuments = documents.filter((d): d is BpmnDocument => d.kind === 'bpmn');
  const dmnDocuments = documents.filter((d): d is DmnDocument => d.kind === 'dmn');
  print(`Reading the last deployed versions from ${config.restAddress ?? 'no REST API'}`);
  const source = restPreviousDeploymentSource(config);
  const previous: Previous = { processes: new Map(), decisions: new Map() };
  for (const { bpmnProcessId } of bpmnDocuments.flatMap((d) => d.processes)) previous.processes.set(bpmnProcessId, await source.latest(bpmnProcessId));
  for (const { decisionId } of dmnDocuments.flatMap((d) => d.decisions)) previous.decisions.set(decisionId, await source.latestDecision(decisionId));
  const files = `${documents.length} ${documents.length === 1 ? 'file' : 'files'} to ${config.target} (${address})`;
  if (dryRun) {
    print(`Dry run: would deploy ${files}; nothing is deployed`);
    await printPlan(bpmnDocuments, dmnDocuments, previous, print);
    return ExitCode.OK;
  }
  print(`Deploying ${files} in one deployment`);
  const outcome = await deployResources(documents.map((d) => ({ name: d.resourceName, content: d.content })), address);
  print(`Deployed: deployment key ${outcome.deploymentKey}`);
  await printProcesses(outcome, bpmnDocuments, previous, print);
  await printDecisions(outcome, dmnDocuments, previous, print);
  return ExitCode.OK;
}

/** The last deployed version of each process and each decision in the files, by id. */
interface Previous {
  processes: Map<string, PreviousDeployment>;
  decisions: Map<string, PreviousDeployment>;
}

async function printPlan(bpmnDocuments: BpmnDocument[], dmnDocuments: DmnDocument[], previous: Previous, print: Print): Promise<void> {
  for (const document of bpmnDocuments) {
    for (const processRef of document.processes) {
      print(`${processRef.bpmnProcessId} (${document.file})`);
      printLines(await plannedChangeLines(document, processRef, previous.processes.get(processRef.bpmnProcessId)!), print);
    }
  }
  for (const document of dmnDocuments) {
    for (const decision of document.decisions) {
      print(`${decision.decisionId} (${document.file})`);
      printLines(await plannedDecisionChangeLines(document, decision, previous.decisions.get(decision.decisionId)!), print);
    }
  }
}

async function printProcesses(outcome: DeploymentOutcome, documents: BpmnDocument[], previous: Previous, print: Print): Promise<void> {
  for (const deployed of outcome.processes) {
    const document = documents.find((d) => d.resourceName === deployed.resourceName && d.processes.some((p) => p.bpmnProcessId === deployed.bpmnProcessId));
    print(`${deployed.bpmnProcessId}  key ${deployed.processDefinitionKey}  version ${deployed.version}  (${document?.file ?? deployed.resourceName})`);
    if (document) printLines(await deployedChangeLines(document, deployed, previous.processes.get(deployed.bpmnProcessId)!), print);
  }
}

async function printDecisions(outcome: DeploymentOutcome, documents: DmnDocument[], previous: Previous, print: Print): Promise<void> {
  for (const deployed of outcome.decisions) {
    const document = documents.find((d) => d.decisions.some((decision) => decision.decisionId === deployed.decisionId));
    print(`${deployed.decisionId}  key ${deployed.decisionKey}  version ${deployed.version}  (${document?.file ?? 'an unknown file'})`);
    if (document) printLines(await deployedDecisionChangeLines(document, deployed, previous.decisions.get(deployed.decisionId)!), print);
  }
}

function printLines(lines: string[], print: Print): void {
  lines.forEach((line) => print(`  ${line}`));
}

/** Zeebe tells resources apart by name; two files with one name would make the report ambiguous. */
function assertDistinctResourceNames(documents: ModelDocument[]): void {
  const seen = new Map<string, string>();
  for (const document of documents) {
    const other = seen.get(document.resourceName);
    if (other) throw new DeployUsageError(`Expected each file to have its own name, but ${other} and ${document.file} are both deployed as '${document.resourceName}'`);
    seen.set(document.resourceName, document.file);
  }
}
