/**
 * What a deployment command carries: each resource parsed before processing (parsing is
 * asynchronous), a BPMN file into its executable processes and a DMN file into its decision
 * requirements graph, or Zeebe's reasons for refusing the deployment as a whole.
 */
import type { ParsedDrg } from '../dmn/decision-model.js';
import { parseDmn } from '../dmn/dmn-parser.js';
import { checksumOf, deploymentRefusal, describeRejection, duplicatedProcessIds, parseBpmn, type ParsedResource } from './bpmn-parser.js';
import type { ExecutableProcess } from './executable-model.js';

export interface DeploymentResource {
  resourceName: string;
  xml: string;
  checksum: string;
  processes: ExecutableProcess[];
  /** The decision requirements graph of a DMN file. */
  drg?: ParsedDrg;
}

export type PreparedDeployment = { ok: true; resources: DeploymentResource[] } | { ok: false; reason: string };

const isDmn = (name: string) => /\.dmn$/i.test(name);
const isSupported = (name: string) => /\.(bpmn|xml|dmn)$/i.test(name);

type ParsedDeploymentResource = ParsedResource & { drg?: ParsedDrg };

async function parseDmnResource(resourceName: string, content: Buffer): Promise<ParsedDeploymentResource> {
  const parsed = await parseDmn(content.toString());
  const checksum = checksumOf(content);
  if (!parsed.ok) return { resourceName, checksum, processes: [], errors: [{ elementId: undefined, message: parsed.failure }] };
  return { resourceName, checksum, processes: [], errors: [], drg: parsed.drg };
}

/**
 * Zeebe's checks across the DMN resources of one deployment (its DmnResourceTransformer): a
 * decision requirements id, and a decision id, is defined by one resource only.
 */
function duplicatedDecisionIds(resources: ParsedDeploymentResource[]): string[] {
  const drgResource = new Map<string, string>();
  const decisionResource = new Map<string, string>();
  const duplicates: string[] = [];
  for (const { resourceName, drg } of resources) {
    if (!drg) continue;
    const firstDrg = drgResource.get(drg.id);
    if (firstDrg !== undefined) {
      duplicates.push(`Expected the decision requirements ids to be unique within a deployment but found a duplicated id '${drg.id}' in the resources '${firstDrg}' and '${resourceName}'.`);
      continue;
    }
    drgResource.set(drg.id, resourceName);
    const repeated = drg.decisions.find((decision) => decisionResource.has(decision.id));
    if (repeated) {
      duplicates.push(`Expected the decision ids to be unique within a deployment but found a duplicated id '${repeated.id}' in the resources '${decisionResource.get(repeated.id)}' and '${resourceName}'.`);
    }
    for (const decision of drg.decisions) if (!decisionResource.has(decision.id)) decisionResource.set(decision.id, resourceName);
  }
  return duplicates;
}

export async function prepareDeployment(resources: { name: string; content: Buffer }[]): Promise<PreparedDeployment> {
  if (resources.length === 0) return { ok: false, reason: 'Expected to deploy at least one resource, but none given' };
  const unsupported = resources.filter((r) => !isSupported(r.name));
  if (unsupported.length) {
    return { ok: false, reason: deploymentRefusal(unsupported.map((r) => `'${r.name}': Resource type is not supported. Supported resource types are: .bpmn, .xml, .dmn`)) };
  }
  const parsed: ParsedDeploymentResource[] = await Promise.all(resources.map((r) => (isDmn(r.name) ? parseDmnResource(r.name, r.content) : parseBpmn(r.name, r.content))));
  if (parsed.some((p) => p.errors.length)) return { ok: false, reason: describeRejection(parsed) };
  const duplicates = [...duplicatedProcessIds(parsed), ...duplicatedDecisionIds(parsed)];
  if (duplicates.length) return { ok: false, reason: deploymentRefusal(duplicates) };
  return {
    ok: true,
    resources: parsed.map((p, i) => ({ resourceName: p.resourceName, checksum: p.checksum, xml: resources[i]!.content.toString(), processes: p.processes, ...(p.drg ? { drg: p.drg } : {}) })),
  };
}
