/** Assertions wait for their condition, and when it does not come they say what they observed. */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  assertThatProcessInstance,
  ProcessInstanceAssertionError,
  startTestEngine,
  type TestEngine,
} from '../../../infra/engine/testing/index.js';

const DELIVERY_BPMN = fileURLToPath(new URL('../fixtures/testing/delivery.bpmn', import.meta.url));

let kit: TestEngine;

beforeEach(async () => {
  kit = await startTestEngine();
  await kit.deploy(DELIVERY_BPMN);
});

afterEach(() => kit.close());

it('When an instance waits at a receive task, then it is waiting for its message with the evaluated correlation key', async () => {
  const instance = await kit.createInstance('delivery', { orderId: 'order-1' });

  await assertThatProcessInstance(kit, instance).isActive().isWaitingForMessage('parcel-delivered', 'order-1');
});

it('When the awaited message is published, then the instance has correlated it and completes', async () => {
  const instance = await kit.createInstance('delivery', { orderId: 'order-1' });

  await kit.zeebe.publishMessage({ name: 'parcel-delivered', correlationKey: 'order-1', variables: { signedBy: 'Ada' } });

  await assertThatProcessInstance(kit, instance)
    .hasCorrelatedMessage('parcel-delivered')
    .isCompleted()
    .hasPassedElements('await-delivery', 'order-delivered')
    .hasVariable('signedBy', 'Ada');
});

it('When the instance is cancelled, then it is terminated', async () => {
  const instance = await kit.createInstance('delivery', { orderId: 'order-1' });

  await kit.zeebe.cancelProcessInstance(instance.processInstanceKey);

  await assertThatProcessInstance(kit, instance).isTerminated();
});

it('When an expected state does not come within the wait, then the assertion fails showing what it observed', async () => {
  const instance = await kit.createInstance('delivery', { orderId: 'order-1' });

  const failure = assertThatProcessInstance(kit, instance, { waitMs: 200 }).isCompleted();

  await expect(failure).rejects.toThrow(ProcessInstanceAssertionError);
  await expect(failure).rejects.toThrow(
    [
      `Expected process instance '${instance.processInstanceKey}' to be completed within 200 ms, but it was not. Observed:`,
      `  state: active`,
      `  passed elements: 'parcel-shipped'`,
      `  waiting at elements: 'await-delivery'`,
      `  waiting for messages: 'parcel-delivered' (correlation key 'order-1')`,
      `  correlated messages: none`,
      `  active incidents: none`,
      `  variables: orderId="order-1"`,
    ].join('\n'),
  );
});

it('When a variable has another value, then hasVariable fails naming the expected and the observed value', async () => {
  const instance = await kit.createInstance('delivery', { orderId: 'order-1' });

  const failure = assertThatProcessInstance(kit, instance, { waitMs: 100 }).hasVariable('orderId', 'order-2');

  await expect(failure).rejects.toThrow(/to have variable 'orderId' = "order-2" within 100 ms, but it was not[\s\S]*variables: orderId="order-1"/);
});
