/**
 * The last deployed version of a process or a decision, read from Camunda 8.8's REST API: the
 * newest definition with that id (`POST /v2/process-definitions/search`,
 * `POST /v2/decision-definitions/search`), then its XML (`GET …/{key}/xml`; a decision's is the DMN
 * file of its decision requirements). The same calls work against the embedded engine, a
 * self-managed cluster and SaaS.
 */
import { createCamundaClient, DecisionDefinitionId, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import type { DeployConfig } from './deploy-config.js';

export const PreviousDeploymentKind = { FOUND: 'found', NONE: 'none', UNKNOWN: 'unknown' } as const;

export type PreviousDeployment =
  | { kind: typeof PreviousDeploymentKind.FOUND; key: string; version: number; resourceName: string | undefined; xml: string }
  | { kind: typeof PreviousDeploymentKind.NONE }
  | { kind: typeof PreviousDeploymentKind.UNKNOWN; reason: string };

/** Where the last deployed version of a process or decision comes from; never throws, an unknown version says why. */
export interface PreviousDeploymentSource {
  latest(bpmnProcessId: string): Promise<PreviousDeployment>;
  latestDecision(decisionId: string): Promise<PreviousDeployment>;
}

/** Reads through `@camunda8/orchestration-cluster-api`; without a REST address every version is unknown. */
export function restPreviousDeploymentSource(config: DeployConfig): PreviousDeploymentSource {
  const address = config.restAddress;
  if (address === undefined) {
    const reason = `no REST API configured for target '${config.target}' (set CAMUNDA_REST_ADDRESS)`;
    const unknown = async (): Promise<PreviousDeployment> => ({ kind: PreviousDeploymentKind.UNKNOWN, reason });
    return { latest: unknown, latestDecision: unknown };
  }
  const client = createRestClient(address, config.opsToken);
  const read = async (reading: Promise<PreviousDeployment>): Promise<PreviousDeployment> => {
    try {
      return await withTimeout(reading, config.restTimeoutMs, `the REST API at ${address} did not answer within ${config.restTimeoutMs} ms`);
    } catch (error) {
      return { kind: PreviousDeploymentKind.UNKNOWN, reason: describeFailure(error, address) };
    }
  };
  return {
    latest: (bpmnProcessId) => read(readLatest(client, bpmnProcessId)),
    latestDecision: (decisionId) => read(readLatestDecision(client, decisionId)),
  };
}

function createRestClient(address: string, opsToken: string | undefined): CamundaClient {
  return createCamundaClient({
    config: { CAMUNDA_REST_ADDRESS: address, CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1, ...oauthClientFromGrpcVariables() },
    log: { level: 'silent' },
    // The embedded engine takes a static bearer token; a cluster's OAuth is the client's own (CAMUNDA_AUTH_STRATEGY).
    fetch: opsToken === undefined ? undefined : (input, init) => {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set('authorization', `Bearer ${opsToken}`);
      return fetch(input, { ...init, headers });
    },
  });
}

/**
 * The REST client calls its OAuth client CAMUNDA_CLIENT_ID/SECRET, the gRPC client ZEEBE_CLIENT_ID/SECRET;
 * one set of credentials serves both, so the gRPC names are used when the REST names are unset.
 */
function oauthClientFromGrpcVariables(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const pairs = [['CAMUNDA_CLIENT_ID', 'ZEEBE_CLIENT_ID'], ['CAMUNDA_CLIENT_SECRET', 'ZEEBE_CLIENT_SECRET']] as const;
  return Object.fromEntries(pairs.filter(([rest, grpc]) => !env[rest] && env[grpc]).map(([rest, grpc]) => [rest, env[grpc]!]));
}

const NO_WAIT = { consistency: { waitUpToMs: 0 } };
/** The newest version first, and only it. */
const NEWEST = { sort: [{ field: 'version' as const, order: 'DESC' as const }], page: { limit: 1 } };

async function readLatest(client: CamundaClient, bpmnProcessId: string): Promise<PreviousDeployment> {
  const found = await client.searchProcessDefinitions({ filter: { processDefinitionId: bpmnProcessId }, ...NEWEST }, NO_WAIT);
  const latest = found.items?.[0];
  if (!latest) return { kind: PreviousDeploymentKind.NONE };
  if (latest.processDefinitionKey === undefined || latest.version === undefined) return listedWithout('process', bpmnProcessId);
  const xml = await client.getProcessDefinitionXml({ processDefinitionKey: latest.processDefinitionKey }, NO_WAIT);
  return { kind: PreviousDeploymentKind.FOUND, key: String(latest.processDefinitionKey), version: latest.version, resourceName: latest.resourceName, xml: String(xml ?? '') };
}

/** A decision's resource name is its decision requirements' (the DMN file it was deployed from). */
async function readLatestDecision(client: CamundaClient, decisionId: string): Promise<PreviousDeployment> {
  const found = await client.searchDecisionDefinitions({ filter: { decisionDefinitionId: DecisionDefinitionId.assumeExists(decisionId) }, ...NEWEST }, NO_WAIT);
  const latest = found.items?.[0];
  if (!latest) return { kind: PreviousDeploymentKind.NONE };
  const { decisionDefinitionKey, decisionRequirementsKey, version } = latest;
  if (decisionDefinitionKey === undefined || decisionRequirementsKey === undefined || version === undefined) return listedWithout('decision', decisionId);
  const [requirements, xml] = await Promise.all([
    client.getDecisionRequirements({ decisionRequirementsKey }, NO_WAIT),
    client.getDecisionDefinitionXml({ decisionDefinitionKey }, NO_WAIT),
  ]);
  return { kind: PreviousDeploymentKind.FOUND, key: String(decisionDefinitionKey), version, resourceName: requirements.resourceName, xml: String(xml ?? '') };
}

function listedWithout(noun: string, id: string): PreviousDeployment {
  return { kind: PreviousDeploymentKind.UNKNOWN, reason: `the REST API listed ${noun} '${id}' without a key or version` };
}

function describeFailure(error: unknown, address: string): string {
  if (error instanceof RestApiTimeoutError) return error.message;
  const failure = error as { name?: string; status?: number; title?: string; detail?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.status === 401 || failure.status === 403) {
    return `the REST API at ${address} refused the request (${failure.status} ${failure.title ?? ''}); set ORDERFLOW_OPS_TOKEN or the SDK's OAuth variables`.replace(' )', ')');
  }
  if (failure.status !== undefined) return `the REST API at ${address} answered ${failure.status}: ${failure.detail ?? failure.title ?? failure.message}`;
  if (failure.cause?.code) return `cannot reach the REST API at ${address} (${failure.cause.code})`;
  return `reading from the REST API at ${address} failed: ${failure.message ?? String(error)}`;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RestApiTimeoutError(message)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Thrown by {@link withTimeout} when the REST API takes longer than the configured time. */
class RestApiTimeoutError extends Error {
  override readonly name = 'RestApiTimeoutError';
}
