/**
 * The deploying half of `npm run deploy`, after every file linted clean: reads the last deployed
 * versions, then deploys all files in one DeployResource call and reports per process.
 */
import type { BpmnDocument } from './bpmn-document.js';
import type { DeployConfig } from './deploy-config.js';
import { deployedChangeLines, plannedChangeLines } from './change-report.js';
import { deployResources, gatewayAddress } from './deploy-resources.js';
import { DeployUsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { restPreviousDeploymentSource, type PreviousDeployment } from './previous-deployment.js';

export interface DeployOptions {
  dryRun: boolean;
  config: DeployConfig;
}

/**
 * Deploys linted documents in one deployment (or, in a dry run, says what it would change) and
 * prints per process its key, version and changes against the last deployed version.
 * @throws GatewayUnreachableError, DeploymentRejectedError (nothing deployed), DeployUsageError.
 */
export async function deployDocuments(documents: BpmnDocument[], { dryRun, config }: DeployOptions, print: (line: string) => void): Promise<ExitCode> {
  assertDistinctResourceNames(documents);
  const address = gatewayAddress(config.target);
  print(`Reading the last deployed versions from ${config.restAddress ?? 'no REST API'}`);
  const source = restPreviousDeploymentSource(config);
  const previous = new Map<string, PreviousDeployment>();
  for (const { bpmnProcessId } of documents.flatMap((d) => d.processes)) previous.set(bpmnProcessId, await source.latest(bpmnProcessId));
  if (dryRun) {
    print(`Dry run: would deploy ${documents.length} ${documents.length === 1 ? 'file' : 'files'} to ${config.target} (${address}); nothing is deployed`);
    for (const document of documents) {
      for (const processRef of document.processes) {
        print(`${processRef.bpmnProcessId} (${document.file})`);
        (await plannedChangeLines(document, processRef, previous.get(processRef.bpmnProcessId)!)).forEach((line) => print(`  ${line}`));
      }
    }
    return ExitCode.OK;
  }
  print(`Deploying ${documents.length} ${documents.length === 1 ? 'file' : 'files'} to ${config.target} (${address}) in one deployment`);
  const outcome = await deployResources(documents.map((d) => ({ name: d.resourceName, content: d.content })), address);
  print(`Deployed: deployment key ${outcome.deploymentKey}`);
  for (const deployed of outcome.processes) {
    const document = documents.find((d) => d.resourceName === deployed.resourceName && d.processes.some((p) => p.bpmnProcessId === deployed.bpmnProcessId));
    print(`${deployed.bpmnProcessId}  key ${deployed.processDefinitionKey}  version ${deployed.version}  (${document?.file ?? deployed.resourceName})`);
    if (!document) continue;
    (await deployedChangeLines(document, deployed, previous.get(deployed.bpmnProcessId)!)).forEach((line) => print(`  ${line}`));
  }
  return ExitCode.OK;
}

/** Zeebe tells resources apart by name; two files with one name would make the report ambiguous. */
function assertDistinctResourceNames(documents: BpmnDocument[]): void {
  const seen = new Map<string, string>();
  for (const document of documents) {
    const other = seen.get(document.resourceName);
    if (other) throw new DeployUsageError(`Expected each file to have its own name, but ${other} and ${document.file} are both deployed as '${document.resourceName}'`);
    seen.set(document.resourceName, document.file);
  }
}
