/**
 * Deploying broken BPMN through `@camunda8/sdk`'s gRPC client: truncated XML, removed or duplicated
 * ids, dangling references, unknown elements, invalid FEEL, missing task definitions, random bytes.
 * Every one is refused with INVALID_ARGUMENT naming the resource and what is wrong, the engine stays
 * up, and a request holding a broken resource deploys nothing, not even its valid ones.
 */
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../infra/engine/engine-server.js';
import { sdkZeebeClient, startTestEngine, type ZeebeGrpcClient } from '../engine/clients/client-test-support.js';
import { brokenBpmnArbitrary, deployableModels, type BrokenBpmn } from './support/bpmn-mutations.js';
import { runs } from './support/raw-http.js';

const models = deployableModels();
const brokenModel = brokenBpmnArbitrary(models);

let server: EngineServer;
let zeebe: ZeebeGrpcClient;
/** Definition keys of every deployment the engine accepted during the run. */
const accepted = new Set<string>();

beforeAll(async () => {
  server = await startTestEngine();
  zeebe = sdkZeebeClient(server);
});

afterAll(async () => {
  await zeebe?.close();
  await server?.close();
});

/** The gRPC error of a refused deployment; fails when the deployment was accepted. */
async function refusal(deployment: Promise<unknown>, broken: BrokenBpmn): Promise<{ code?: number; details?: string; message: string }> {
  try {
    await deployment;
  } catch (error) {
    return error as { code?: number; details?: string; message: string };
  }
  throw new Error(`Expected ${broken.mutation} to be refused, but it was deployed`);
}

function expectInvalidArgument(error: { code?: number; details?: string; message: string }, broken: BrokenBpmn): void {
  const context = `Expected INVALID_ARGUMENT for ${broken.mutation}, but got code ${error.code}: ${error.message}`;
  expect(error.code, context).toBe(status.INVALID_ARGUMENT);
  const details = error.details ?? error.message;
  expect(details, context).toContain(`'${broken.name}'`);
  // Zeebe's two shapes: an element's `ERROR: <reason>` under the resource, or a reason for the whole
  // resource after its name (an XML schema violation such as a repeated id).
  expect(details, context).toMatch(new RegExp(`ERROR: \\S|'${escapeRegExp(broken.name)}': \\S`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Keys of the process definitions the engine holds, read from its own store. */
function definitionKeys(): string[] {
  return server.engine.state.db.prepare<[], { key: number }>('SELECT key FROM process_definitions').all().map((row) => String(row.key)).sort();
}

async function deployValid(model: (typeof models)[number]): Promise<void> {
  const deployment = await zeebe.deployResource({ name: model.name, process: Buffer.from(model.xml) });
  for (const { process } of deployment.deployments) if (process) accepted.add(String(process.processDefinitionKey));
}

describe('deploying broken BPMN', () => {
  it('When a broken model is deployed, then it is refused with INVALID_ARGUMENT naming the resource and the error', async () => {
    await fc.assert(
      fc.asyncProperty(brokenModel, async (broken) => {
        expectInvalidArgument(await refusal(zeebe.deployResource({ name: broken.name, process: broken.content }), broken), broken);
      }),
      runs(150),
    );

    expect(definitionKeys()).toEqual([...accepted].sort());
  });

  it('When a broken model is deployed together with valid ones, then the request is refused and none of them is deployed, while valid deployments in between succeed', async () => {
    const batches = fc.tuple(fc.subarray(models, { minLength: 1, maxLength: 3 }), brokenModel, fc.nat(), fc.boolean());

    await fc.assert(
      fc.asyncProperty(batches, async ([valid, broken, at, deployValidAfter]) => {
        const resources: { name: string; process: Buffer }[] = valid.map((model) => ({ name: model.name, process: Buffer.from(model.xml) }));
        resources.splice(at % (resources.length + 1), 0, { name: broken.name, process: broken.content });
        const before = definitionKeys();

        expectInvalidArgument(await refusal(zeebe.deployResources(resources), broken), broken);

        expect(definitionKeys(), `Expected nothing of the refused request holding ${broken.mutation} to be deployed`).toEqual(before);
        if (deployValidAfter) await deployValid(valid[0]!);
      }),
      runs(100),
    );

    expect(definitionKeys()).toEqual([...accepted].sort());
    expect(accepted.size, 'Expected some valid deployments to have been interleaved').toBeGreaterThan(0);
  });

  it('When broken deployments have been refused, then the engine still deploys and runs a valid process', async () => {
    const checkout = models.find((model) => model.path === 'processes/checkout.bpmn')!;
    await deployValid(checkout);

    const instance = await zeebe.createProcessInstance({ bpmnProcessId: 'checkout', variables: { orderId: 'order-after-garbage' } });

    expect(instance.processInstanceKey).toMatch(/^\d+$/);
  });
});
