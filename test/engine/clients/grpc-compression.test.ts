/**
 * Request compression between `@camunda8/sdk` (which gzips every message by default) and the
 * gateway, observed on the wire through a recording proxy: by default the gateway asks for
 * uncompressed requests, and it still answers a compressed one, as Zeebe's gateway does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineServerOptions, EngineServer } from '../../../infra/engine/engine-server.js';
import {
  fixturePath,
  sdkZeebeClient,
  startTestEngine,
  type ZeebeGrpcClient,
} from './client-test-support.js';
import { startGrpcWireRecorder, type GrpcWireRecorder } from './grpc-wire-recorder.js';

let server: EngineServer | undefined;
let recorder: GrpcWireRecorder | undefined;
let zeebe: ZeebeGrpcClient | undefined;

afterEach(async () => {
  await zeebe?.close();
  await recorder?.close();
  await server?.close();
  zeebe = recorder = server = undefined;
});

/** An SDK client that reaches the engine through the recording proxy. */
async function connect(options: EngineServerOptions = {}) {
  server = await startTestEngine(options);
  recorder = await startGrpcWireRecorder(server.grpcAddress);
  zeebe = sdkZeebeClient(server, { ZEEBE_GRPC_ADDRESS: `grpc://${recorder.address}` });
  return { zeebe, requests: recorder.requests };
}

const encodingsOf = (requests: { path: string; encoding: string }[], rpc: string) =>
  requests.filter((request) => request.path.endsWith(`/${rpc}`)).map((request) => request.encoding);

describe('request compression', () => {
  it('When the SDK sends its first request gzip-compressed, then the gateway answers it', async () => {
    const { zeebe, requests } = await connect();

    const deployment = await zeebe.deployResource({ processFilename: fixturePath('one-task.bpmn') });

    expect(encodingsOf(requests, 'DeployResource')).toEqual(['gzip']);
    expect(deployment.deployments[0]?.process).toMatchObject({ bpmnProcessId: 'one-task' });
  });

  it('When the SDK has had a response, then its next requests arrive uncompressed', async () => {
    const { zeebe, requests } = await connect();
    await zeebe.deployResource({ processFilename: fixturePath('one-task.bpmn') });

    await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: { orderId: 'o-1' } });
    await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: { orderId: 'o-2' } });

    expect(encodingsOf(requests, 'CreateProcessInstance')).toEqual(['identity', 'identity']);
  });

  it('When the gateway is configured for gzip, then the SDK keeps compressing', async () => {
    const { zeebe, requests } = await connect({ grpcCompression: 'gzip' });
    await zeebe.deployResource({ processFilename: fixturePath('one-task.bpmn') });

    await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });

    expect(encodingsOf(requests, 'CreateProcessInstance')).toEqual(['gzip']);
  });
});
