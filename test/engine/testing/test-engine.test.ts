/**
 * The kit as a user's test sees it: the engine started in the test, a worker written with
 * `@camunda8/sdk` connected to it over gRPC, and assertions on the instance it drove.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { assertThatProcessInstance, startTestEngine, type TestEngine } from '../../../infra/engine/testing/index.js';

const PAYMENT_BPMN = fileURLToPath(new URL('../fixtures/testing/payment.bpmn', import.meta.url));

let kit: TestEngine;

beforeEach(async () => {
  kit = await startTestEngine();
  await kit.deploy(PAYMENT_BPMN);
});

afterEach(() => kit.close());

it('When an SDK worker completes the task, then the instance completes through it with the worker variables', async () => {
  const worker = kit.zeebe.createWorker({
    taskType: 'charge-card',
    taskHandler: (job) => job.complete({ paymentId: `payment-of-${job.variables.orderId}` }),
  });
  try {
    const instance = await kit.createInstance('payment', { orderId: 'order-1' });

    await assertThatProcessInstance(kit, instance)
      .isCompleted()
      .hasPassedElementsInOrder('order-placed', 'charge-card', 'payment-completed')
      .hasVariable('paymentId', 'payment-of-order-1');
  } finally {
    await worker.close();
  }
});

it('When the test engine starts, then its gRPC gateway and management port listen on ephemeral loopback ports', () => {
  expect(kit.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(kit.grpcAddress).not.toBe('127.0.0.1:26500');
  expect(kit.managementUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

it('When the clock actuator is asked for the time, then it answers the test engine time', async () => {
  await kit.setTime(new Date('2030-01-01T00:00:00Z'));

  const response = await fetch(`${kit.managementUrl}/actuator/clock`);

  expect(await response.json()).toMatchObject({ epochMilli: Date.parse('2030-01-01T00:00:00Z') });
});

it('When the test engine keeps its store in a temp directory, then closing it removes the directory', async () => {
  const persistent = await startTestEngine({ persistent: true });
  const dataDir = persistent.dataDir!;
  expect(existsSync(dataDir)).toBe(true);

  await persistent.close();

  expect(existsSync(dataDir)).toBe(false);
});
