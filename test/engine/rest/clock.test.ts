/**
 * The engine's clock over REST as Camunda 8.8 exposes it (`PUT /v2/clock`, `POST /v2/clock/reset`),
 * driven by both official clients: the typed client and `@camunda8/sdk`'s CamundaRestClient.
 */
import { ProcessDefinitionId } from '@camunda8/orchestration-cluster-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { deployOpsOrder, eventually, restClient, sdkRestClient, startRestEngine } from './rest-test-support.js';

const PINNED = Date.parse('2031-06-15T08:30:00.000Z');
let server: EngineServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('typed client', () => {
  it('When the clock is pinned, then the engine stamps new instances with the pinned time', async () => {
    server = await startRestEngine();
    const client = restClient(server);
    await deployOpsOrder(client);

    await client.pinClock({ timestamp: PINNED });
    const created = await client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('ops-order') });

    const instance = await client.getProcessInstance({ processInstanceKey: created.processInstanceKey }, { consistency: eventually });
    expect(instance.startDate).toBe(new Date(PINNED).toISOString());
  });

  it('When the clock is reset, then the engine follows system time again', async () => {
    server = await startRestEngine();
    const client = restClient(server);
    await client.pinClock({ timestamp: PINNED });

    await client.resetClock();

    expect(Math.abs(server.engine.clock.now() - Date.now())).toBeLessThan(5_000);
  });

  it('When the clock is pinned before the epoch, then it is refused 400 as Zeebe rejects it and time is unchanged', async () => {
    server = await startRestEngine();
    const client = restClient(server);
    await client.pinClock({ timestamp: PINNED });

    const failure = await client.pinClock({ timestamp: -1 }).then(() => undefined, (error: unknown) => error);

    expect(failure).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT', detail: expect.stringContaining('Expected pin time to be not negative but it was -1') });
    expect(server.engine.clock.now()).toBe(PINNED);
  });

  it('When the clock is not controllable, then pinning is refused 409 and time is unchanged', async () => {
    server = await startRestEngine({ clockControlled: false });

    const failure = await restClient(server).pinClock({ timestamp: PINNED }).then(() => undefined, (error: unknown) => error);

    expect(failure).toMatchObject({ status: 409, title: 'INVALID_STATE' });
    expect(server.engine.clock.now()).not.toBe(PINNED);
  });
});

describe('@camunda8/sdk CamundaRestClient', () => {
  it('When pinInternalClock is called, then the engine clock reads the pinned instant', async () => {
    server = await startRestEngine();

    await sdkRestClient(server).pinInternalClock(PINNED);

    expect(server.engine.clock.now()).toBe(PINNED);
  });

  it('When resetClock is called, then the engine clock follows system time again', async () => {
    server = await startRestEngine();
    const sdk = sdkRestClient(server);
    await sdk.pinInternalClock(PINNED);

    await sdk.resetClock();

    expect(Math.abs(server.engine.clock.now() - Date.now())).toBeLessThan(5_000);
  });
});
