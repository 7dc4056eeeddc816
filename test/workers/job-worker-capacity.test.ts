/**
 * A job worker holds at most its capacity of jobs: when more jobs are due than it can handle, the
 * rest wait in the engine, activatable, instead of timing out in the worker (what a clock jump that
 * makes thousands of jobs due at once would otherwise cause).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectPath } from '../../lib/project/project-root.js';
import { assertThatProcessInstance, startTestEngine, type TestEngine } from '../../infra/engine/testing/index.js';
import { commandQueueName, type Message, type Publisher } from '../../infra/messaging/index.js';
import { startJobWorker, type RunningJobWorker } from '../../workers/job-worker-runner.js';
import { retrievePaymentWorker } from '../../workers/retrieve-payment.worker.js';
import { testLogger, useRabbitTestKit } from '../messaging/support/rabbit-test-kit.js';
import { buildCheckoutVariables } from './support/checkout-variables.js';

const CAPACITY = 2;
const INSTANCES = 5;

describe('job worker capacity', () => {
  const kit = useRabbitTestKit();
  let engine: TestEngine;
  let worker: RunningJobWorker | undefined;

  beforeEach(async () => {
    engine = await startTestEngine({ logger: testLogger });
    await engine.deploy(projectPath('processes', 'checkout.bpmn'));
  });

  afterEach(async () => {
    worker?.close();
    await engine.close();
  });

  it(`When ${INSTANCES} payment jobs are due and the worker's capacity is ${CAPACITY}, then it never holds more than ${CAPACITY} and still handles all of them`, async () => {
    const real = await kit().publisher(await kit().connect());
    // The real publisher, held back until the test opens the gate, so jobs stay in the worker's hands.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let inHand = 0;
    let mostInHand = 0;
    const publisher = Object.create(real) as Publisher;
    publisher.publish = async (message: Message) => {
      mostInHand = Math.max(mostInHand, ++inHand);
      try {
        await gate;
        return await real.publish(message);
      } finally {
        inHand--;
      }
    };
    worker = await startJobWorker(retrievePaymentWorker, { zeebe: engine.zeebe, publisher, logger: testLogger, capacity: CAPACITY });

    const instances = await Promise.all(Array.from({ length: INSTANCES }, () => engine.createInstance('checkout', buildCheckoutVariables())));
    for (let waited = 0; inHand < CAPACITY && waited < 10_000; waited += 20) await delay(20);
    // Time for a worker without a bound to take the other jobs too.
    await delay(500);
    expect(inHand).toBe(CAPACITY);
    open();

    for (const instance of instances) await assertThatProcessInstance(engine, instance).hasPassedElements('retrieve-payment');
    expect(mostInHand).toBe(CAPACITY);
    expect(await kit().messageCount(commandQueueName(kit().names, 'payment'))).toBe(INSTANCES);
  });
});
