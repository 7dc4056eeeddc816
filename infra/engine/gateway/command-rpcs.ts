/**
 * The request/response RPCs of Zeebe's `Gateway` service, one mapping each from the protocol's
 * messages onto {@link EngineApi}. Job activation (long polling and streams) lives in
 * `job-rpcs.ts`. Each mapping validates as Zeebe's gateway does before the engine sees the command.
 */
import type { CreateProcessInstanceRequest as EngineCreateRequest, EngineApi } from '../engine-api.js';
import { InvalidRequestError, UnsupportedRpcError } from './grpc-errors.js';
import type * as msg from './gateway-messages.js';
import {
  DEFAULT_TENANT_ID,
  int64ToNumber,
  optionalKey,
  parseVariables,
  requireAtLeast,
  requireDefaultTenant,
  requireNonBlank,
} from './request-validation.js';

/** The Zeebe version whose protocol and behaviour the gateway follows, reported by Topology. */
export const ZEEBE_VERSION = '8.8.0';

/**
 * Used when CreateProcessInstanceWithResult gives requestTimeout 0: Zeebe then applies the
 * gateway's generic request timeout, 15 s by default (`zeebe.gateway.cluster.requestTimeout`).
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export interface CommandRpcContext {
  engine: EngineApi;
  /** Where the gateway listens, reported as the one broker of the topology. */
  host: string;
  port: () => number;
}

type Handler = (request: never, context: CommandRpcContext) => Promise<object>;

function topology(_request: object, { host, port }: CommandRpcContext) {
  const partition = { partitionId: 1, role: 'LEADER', health: 'HEALTHY' };
  const broker = { nodeId: 0, host, port: port(), partitions: [partition], version: ZEEBE_VERSION };
  return Promise.resolve({
    brokers: [broker],
    clusterSize: 1,
    partitionsCount: 1,
    replicationFactor: 1,
    gatewayVersion: ZEEBE_VERSION,
  });
}

async function deployResource(request: msg.DeployResourceRequest, { engine }: CommandRpcContext) {
  requireDefaultTenant(request.tenantId, 'DeployResource');
  if (request.resources.length === 0) {
    throw new InvalidRequestError('Expected to deploy at least one resource, but none given');
  }
  const result = await engine.deployResources(request.resources);
  // Zeebe's ResponseMapper lists processes, then decisions, then decision requirements graphs.
  return {
    key: result.deploymentKey,
    deployments: [
      ...result.processes.map((process) => ({ process: processMetadata(process) })),
      ...result.decisions.map((d) => ({
        decision: {
          dmnDecisionId: d.decisionId, dmnDecisionName: d.decisionName, version: d.version, decisionKey: d.decisionKey,
          dmnDecisionRequirementsId: d.decisionRequirementsId, decisionRequirementsKey: d.decisionRequirementsKey, tenantId: d.tenantId,
        },
      })),
      ...result.decisionRequirements.map((r) => ({
        decisionRequirements: {
          dmnDecisionRequirementsId: r.decisionRequirementsId, dmnDecisionRequirementsName: r.decisionRequirementsName, version: r.version,
          decisionRequirementsKey: r.decisionRequirementsKey, resourceName: r.resourceName, tenantId: r.tenantId,
        },
      })),
    ],
    tenantId: result.tenantId,
  };
}

/** Deprecated since Zeebe 8 in favour of DeployResource, still served for older clients. */
async function deployProcess(request: msg.DeployProcessRequest, { engine }: CommandRpcContext) {
  if (request.processes.length === 0) {
    throw new InvalidRequestError('Expected to deploy at least one process, but none given');
  }
  const resources = request.processes.map(({ name, definition }) => ({ name, content: definition }));
  const result = await engine.deployResources(resources);
  return { key: result.deploymentKey, processes: result.processes.map(processMetadata) };
}

function processMetadata(process: msg.ProcessMetadataMessage): msg.ProcessMetadataMessage {
  const { bpmnProcessId, version, processDefinitionKey, resourceName, tenantId } = process;
  return { bpmnProcessId, version, processDefinitionKey, resourceName, tenantId };
}

function toCreateRequest(request: msg.CreateProcessInstanceRequest, rpc: string): EngineCreateRequest {
  requireDefaultTenant(request.tenantId, rpc);
  const processDefinitionKey = optionalKey(request.processDefinitionKey);
  if (processDefinitionKey === undefined && request.bpmnProcessId.trim() === '') {
    throw new InvalidRequestError(
      'Expected either a processDefinitionKey or a bpmnProcessId, but neither was given',
    );
  }
  const startInstructions = request.startInstructions.map(({ elementId }) => elementId);
  return {
    ...(processDefinitionKey === undefined
      ? { bpmnProcessId: request.bpmnProcessId, version: request.version }
      : { processDefinitionKey }),
    variables: parseVariables(request.variables),
    ...(startInstructions.length > 0 ? { startInstructions } : {}),
  };
}

async function createProcessInstance(
  request: msg.CreateProcessInstanceRequest,
  { engine }: CommandRpcContext,
) {
  return engine.createProcessInstance(toCreateRequest(request, 'CreateProcessInstance'));
}

async function createProcessInstanceWithResult(
  request: msg.CreateProcessInstanceWithResultRequest,
  { engine }: CommandRpcContext,
) {
  const rpc = 'CreateProcessInstanceWithResult';
  if (!request.request) {
    throw new InvalidRequestError('Expected a create process instance request, but none given');
  }
  const requestTimeout = int64ToNumber(request.requestTimeout, 'requestTimeout');
  const result = await engine.createProcessInstanceWithResult(toCreateRequest(request.request, rpc), {
    requestTimeoutMs: requestTimeout > 0 ? requestTimeout : DEFAULT_REQUEST_TIMEOUT_MS,
    fetchVariables: request.fetchVariables,
  });
  return { ...result, variables: JSON.stringify(result.variables) };
}

async function cancelProcessInstance(
  request: { processInstanceKey: msg.Int64 },
  { engine }: CommandRpcContext,
) {
  await engine.cancelProcessInstance(String(request.processInstanceKey));
  return {};
}

async function completeJob(request: msg.CompleteJobRequest, { engine }: CommandRpcContext) {
  await engine.completeJob(String(request.jobKey), parseVariables(request.variables));
  return {};
}

async function failJob(request: msg.FailJobRequest, { engine }: CommandRpcContext) {
  await engine.failJob({
    jobKey: String(request.jobKey),
    retries: request.retries,
    errorMessage: request.errorMessage,
    retryBackOffMs: int64ToNumber(request.retryBackOff, 'retryBackOff'),
    variables: parseVariables(request.variables),
  });
  return {};
}

async function throwError(request: msg.ThrowErrorRequest, { engine }: CommandRpcContext) {
  await engine.throwError({
    jobKey: String(request.jobKey),
    errorCode: request.errorCode,
    errorMessage: request.errorMessage,
    variables: parseVariables(request.variables),
  });
  return {};
}

async function updateJobRetries(request: msg.UpdateJobRetriesRequest, { engine }: CommandRpcContext) {
  await engine.updateJobRetries(String(request.jobKey), requireAtLeast(request.retries, 1, 'retries'));
  return {};
}

async function updateJobTimeout(request: msg.UpdateJobTimeoutRequest, { engine }: CommandRpcContext) {
  await engine.updateJobTimeout(String(request.jobKey), int64ToNumber(request.timeout, 'timeout'));
  return {};
}

async function publishMessage(request: msg.PublishMessageRequest, { engine }: CommandRpcContext) {
  requireDefaultTenant(request.tenantId, 'PublishMessage');
  const { messageKey } = await engine.publishMessage({
    name: requireNonBlank(request.name, 'name'),
    correlationKey: request.correlationKey,
    timeToLiveMs: requireAtLeast(int64ToNumber(request.timeToLive, 'timeToLive'), 0, 'timeToLive'),
    ...(request.messageId === '' ? {} : { messageId: request.messageId }),
    variables: parseVariables(request.variables),
  });
  return { key: messageKey, tenantId: DEFAULT_TENANT_ID };
}

async function resolveIncident(request: { incidentKey: msg.Int64 }, { engine }: CommandRpcContext) {
  await engine.resolveIncident(String(request.incidentKey));
  return {};
}

async function setVariables(request: msg.SetVariablesRequest, { engine }: CommandRpcContext) {
  const { key } = await engine.setVariables({
    elementInstanceKey: String(request.elementInstanceKey),
    variables: parseVariables(request.variables),
    local: request.local,
  });
  return { key };
}

async function modifyProcessInstance(request: msg.ModifyProcessInstanceRequest, { engine }: CommandRpcContext) {
  await engine.modifyProcessInstance({
    processInstanceKey: String(request.processInstanceKey),
    activateInstructions: request.activateInstructions.map((instruction) => ({
      elementId: requireNonBlank(instruction.elementId, 'elementId'),
      ancestorElementInstanceKey: String(instruction.ancestorElementInstanceKey),
      variableInstructions: instruction.variableInstructions.map((variables) => ({ variables: parseVariables(variables.variables), scopeId: variables.scopeId })),
    })),
    terminateInstructions: request.terminateInstructions.map((instruction) => ({ elementInstanceKey: String(instruction.elementInstanceKey) })),
  });
  return {};
}

async function broadcastSignal(request: msg.BroadcastSignalRequest, { engine }: CommandRpcContext) {
  requireDefaultTenant(request.tenantId, 'BroadcastSignal');
  const { signalKey } = await engine.broadcastSignal({
    signalName: requireNonBlank(request.signalName, 'signalName'),
    variables: parseVariables(request.variables),
  });
  return { key: signalKey, tenantId: DEFAULT_TENANT_ID };
}

async function deleteResource(request: { resourceKey: msg.Int64 }, { engine }: CommandRpcContext) {
  await engine.deleteResource(String(request.resourceKey));
  return {};
}

/** Zeebe's ResponseMapper: the evaluation key is the response's decisionInstanceKey; outputs stay JSON text. */
async function evaluateDecision(request: msg.EvaluateDecisionRequest, { engine }: CommandRpcContext) {
  requireDefaultTenant(request.tenantId, 'EvaluateDecision');
  const evaluation = await engine.evaluateDecision({
    decisionId: request.decisionId,
    ...(optionalKey(request.decisionKey) === undefined ? {} : { decisionKey: String(request.decisionKey) }),
    variables: parseVariables(request.variables),
  });
  const { decisionEvaluationKey, evaluatedDecisions, ...evaluated } = evaluation;
  return {
    ...evaluated,
    decisionInstanceKey: decisionEvaluationKey,
    evaluatedDecisions: evaluatedDecisions.map(({ decisionEvaluationInstanceKey: _key, ...decision }) => decision),
  };
}

function unsupported(rpc: string): Handler {
  return () => Promise.reject(new UnsupportedRpcError(rpc));
}

/** Every request/response RPC of the `Gateway` service, by its name in `zeebe.proto`. */
export const commandRpcs: Record<string, Handler> = {
  Topology: topology,
  DeployResource: deployResource,
  DeployProcess: deployProcess,
  CreateProcessInstance: createProcessInstance,
  CreateProcessInstanceWithResult: createProcessInstanceWithResult,
  CancelProcessInstance: cancelProcessInstance,
  CompleteJob: completeJob,
  FailJob: failJob,
  ThrowError: throwError,
  UpdateJobRetries: updateJobRetries,
  UpdateJobTimeout: updateJobTimeout,
  PublishMessage: publishMessage,
  ResolveIncident: resolveIncident,
  SetVariables: setVariables,
  BroadcastSignal: broadcastSignal,
  DeleteResource: deleteResource,
  EvaluateDecision: evaluateDecision,
  ModifyProcessInstance: modifyProcessInstance,
  MigrateProcessInstance: unsupported('MigrateProcessInstance'),
};
