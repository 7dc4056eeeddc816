/** A mock job worker completes, throws from or fails jobs without a real worker. */
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

it('When the mock throws a BPMN error, then the error boundary event catches it', async () => {
  kit.mockJobWorker('charge-card').thenThrowBpmnError('CARD_DECLINED', 'Insufficient funds');

  const instance = await kit.createInstance('payment', { orderId: 'order-1' });

  await assertThatProcessInstance(kit, instance)
    .isCompleted()
    .hasPassedElementsInOrder('card-declined', 'payment-declined')
    .hasNoActiveIncidents();
});

it('When the mock completes the job with variables, then the variables reach the process instance', async () => {
  kit.mockJobWorker('charge-card').thenComplete({ paymentId: 'payment-1', amount: { value: 42, currency: 'EUR' } });

  const instance = await kit.createInstance('payment');

  await assertThatProcessInstance(kit, instance)
    .hasPassedElements('payment-completed')
    .hasVariable('amount', { value: 42, currency: 'EUR' });
});

it('When the mock fails the job without retries, then the instance stays active with an incident', async () => {
  kit.mockJobWorker('charge-card').thenFail('Payment provider unavailable');

  const instance = await kit.createInstance('payment');

  await assertThatProcessInstance(kit, instance).hasActiveIncidents().isActive().isWaitingAtElements('charge-card');
});

it('When the mock has a handler, then the handler gets each job with its variables and the mock counts it', async () => {
  const worker = kit.mockJobWorker('charge-card').withHandler((job, actions) => actions.complete({ charged: job.variables.total }));

  const instance = await kit.createInstance('payment', { total: 99 });

  await assertThatProcessInstance(kit, instance).isCompleted().hasVariable('charged', 99);
  expect(worker.invocationCount).toBe(1);
  expect(worker.invocations[0]).toMatchObject({ type: 'charge-card', elementId: 'charge-card', processInstanceKey: instance.processInstanceKey });
});

it('When a mock is created without a behaviour, then it leaves the jobs for others', async () => {
  const idle = kit.mockJobWorker('charge-card');
  const instance = await kit.createInstance('payment');
  await assertThatProcessInstance(kit, instance).isWaitingAtElements('charge-card');

  kit.mockJobWorker('charge-card').thenComplete();

  await assertThatProcessInstance(kit, instance).isCompleted();
  expect(idle.invocationCount).toBe(0);
});
