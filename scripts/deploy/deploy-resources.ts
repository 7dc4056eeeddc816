/**
 * Deploys resources through `@camunda8/sdk`'s ZeebeGrpcClient in one DeployResource call, so Zeebe
 * accepts all of them or none. The connection comes from the SDK's own environment variables.
 */
import { applyEmbeddedZeebeDefaults, createZeebeClientFromEnvironment } from '../../workers/zeebe-client.js';
import { EMBEDDED_TARGET } from './deploy-config.js';
import { DeploymentRejectedError, GatewayUnreachableError } from './errors.js';

export interface DeployedProcessVersion {
  bpmnProcessId: string;
  processDefinitionKey: string;
  version: number;
  resourceName: string;
}

export interface DeployedDecisionVersion {
  decisionId: string;
  decisionKey: string;
  version: number;
}

export interface DeploymentOutcome {
  deploymentKey: string;
  processes: DeployedProcessVersion[];
  decisions: DeployedDecisionVersion[];
}

/** What the gateway lists per resource: a process, a decision, or a file's decision requirements graph. */
interface DeployedResource {
  process?: DeployedProcessVersion;
  decision?: { dmnDecisionId: string; decisionKey: string; version: number };
}

/** Where the SDK will connect: for `embedded`, after filling in the local engine's defaults. */
export function gatewayAddress(target: string, env: NodeJS.ProcessEnv = process.env): string {
  if (target === EMBEDDED_TARGET) applyEmbeddedZeebeDefaults(env);
  return env.ZEEBE_GRPC_ADDRESS ?? env.ZEEBE_ADDRESS ?? '';
}

/**
 * Deploys every resource in one call.
 * @throws GatewayUnreachableError when no gateway answers at `address`.
 * @throws DeploymentRejectedError when the gateway refuses the resources (Zeebe's reason included).
 */
export async function deployResources(resources: { name: string; content: Buffer }[], address: string): Promise<DeploymentOutcome> {
  const client = createZeebeClientFromEnvironment();
  try {
    // The SDK sends every resource as name and bytes; `process` only picks that shape, the gateway tells BPMN from DMN by the name.
    const response = await client.deployResources(resources.map((resource) => ({ name: resource.name, process: resource.content })));
    const deployed = response.deployments as DeployedResource[];
    const processes = deployed
      .flatMap((deployment) => (deployment.process ? [deployment.process] : []))
      .map((process) => ({ bpmnProcessId: process.bpmnProcessId, processDefinitionKey: String(process.processDefinitionKey), version: process.version, resourceName: process.resourceName }));
    const decisions = deployed
      .flatMap((deployment) => (deployment.decision ? [deployment.decision] : []))
      .map((decision) => ({ decisionId: decision.dmnDecisionId, decisionKey: String(decision.decisionKey), version: decision.version }));
    return { deploymentKey: String(response.key), processes, decisions };
  } catch (error) {
    throw translateGrpcError(error, address);
  } finally {
    await client.close().catch(() => undefined);
  }
}

// gRPC status codes (grpc/status.h).
const GrpcStatus = { INVALID_ARGUMENT: 3, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

function translateGrpcError(error: unknown, address: string): Error {
  const failure = error as { code?: number; details?: string; message?: string };
  if (failure.code === GrpcStatus.UNAVAILABLE) return new GatewayUnreachableError(address, { cause: error });
  if (failure.code === GrpcStatus.INVALID_ARGUMENT) return new DeploymentRejectedError(failure.details ?? failure.message ?? String(error), { cause: error });
  if (failure.code === GrpcStatus.UNAUTHENTICATED) {
    return new DeploymentRejectedError(`the gateway at ${address} refused the credentials (${failure.details ?? 'UNAUTHENTICATED'}); check CAMUNDA_AUTH_STRATEGY and the SDK's OAuth variables`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
