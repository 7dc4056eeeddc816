/**
 * The `zeebe.proto` messages as `@grpc/proto-loader` hands them to the server (keepCase, longs as
 * decimal strings, enums by name, defaults filled in). Only the fields the gateway reads are typed.
 * Responses may carry int64 fields as strings; grpc-js encodes them.
 */

export type Int64 = string;

export interface ActivateJobsRequest {
  type: string;
  worker: string;
  timeout: Int64;
  maxJobsToActivate: number;
  fetchVariable: string[];
  requestTimeout: Int64;
  tenantIds: string[];
}

export interface ActivateJobsResponse {
  jobs: ActivatedJobMessage[];
}

export interface StreamActivatedJobsRequest {
  type: string;
  worker: string;
  timeout: Int64;
  fetchVariable: string[];
  tenantIds: string[];
}

export interface ActivatedJobMessage {
  key: Int64;
  type: string;
  processInstanceKey: Int64;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: Int64;
  elementId: string;
  elementInstanceKey: Int64;
  customHeaders: string;
  worker: string;
  retries: number;
  deadline: Int64;
  variables: string;
  tenantId: string;
}

export interface CreateProcessInstanceRequest {
  processDefinitionKey: Int64;
  bpmnProcessId: string;
  version: number;
  variables: string;
  startInstructions: { elementId: string }[];
  tenantId: string;
}

export interface CreateProcessInstanceWithResultRequest {
  request: CreateProcessInstanceRequest | null;
  requestTimeout: Int64;
  fetchVariables: string[];
}

export interface DeployResourceRequest {
  resources: { name: string; content: Buffer }[];
  tenantId: string;
}

export interface DeployProcessRequest {
  processes: { name: string; definition: Buffer }[];
}

export interface ProcessMetadataMessage {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: Int64;
  resourceName: string;
  tenantId: string;
}

export interface JobKeyRequest {
  jobKey: Int64;
}

export interface CompleteJobRequest extends JobKeyRequest {
  variables: string;
}

export interface FailJobRequest extends JobKeyRequest {
  retries: number;
  errorMessage: string;
  retryBackOff: Int64;
  variables: string;
}

export interface ThrowErrorRequest extends JobKeyRequest {
  errorCode: string;
  errorMessage: string;
  variables: string;
}

export interface UpdateJobRetriesRequest extends JobKeyRequest {
  retries: number;
}

export interface UpdateJobTimeoutRequest extends JobKeyRequest {
  timeout: Int64;
}

export interface PublishMessageRequest {
  name: string;
  correlationKey: string;
  timeToLive: Int64;
  messageId: string;
  variables: string;
  tenantId: string;
}

export interface SetVariablesRequest {
  elementInstanceKey: Int64;
  variables: string;
  local: boolean;
}

export interface ModifyProcessInstanceRequest {
  processInstanceKey: Int64;
  activateInstructions: {
    elementId: string;
    ancestorElementInstanceKey: Int64;
    variableInstructions: { variables: string; scopeId: string }[];
  }[];
  terminateInstructions: { elementInstanceKey: Int64 }[];
}

export interface BroadcastSignalRequest {
  signalName: string;
  variables: string;
  tenantId: string;
}

export interface EvaluateDecisionRequest {
  decisionKey: Int64;
  decisionId: string;
  variables: string;
  tenantId: string;
}
