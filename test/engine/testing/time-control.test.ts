/** The test engine clock is pinned; only the test moves it, and due timers fire when it does. */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  assertThatProcessInstance,
  InvalidDurationError,
  startTestEngine,
  type TestEngine,
} from '../../../infra/engine/testing/index.js';

const DELIVERY_BPMN = fileURLToPath(new URL('../fixtures/testing/delivery.bpmn', import.meta.url));
const START = new Date('2030-03-01T09:00:00Z');

let kit: TestEngine;

beforeEach(async () => {
  kit = await startTestEngine({ startTime: START });
  await kit.deploy(DELIVERY_BPMN);
});

afterEach(() => kit.close());

it('When two weeks pass, then the P14D timer boundary event fires and the order is refunded', async () => {
  const instance = await kit.createInstance('delivery', { orderId: 'order-1' });
  await assertThatProcessInstance(kit, instance).isWaitingAtElements('await-delivery');

  await kit.increaseTime('P14D');

  await assertThatProcessInstance(kit, instance).isCompleted().hasPassedElementsInOrder('delivery-overdue', 'order-refunded');
});

it('When less than two weeks pass, then the instance still waits for the delivery', async () => {
  const instance = await kit.createInstance('delivery', { orderId: 'order-1' });

  await kit.increaseTime(14 * 24 * 60 * 60_000 - 1);

  await assertThatProcessInstance(kit, instance).isActive().isWaitingForMessage('parcel-delivered', 'order-1');
});

it('When the test engine starts with a start time, then the clock stands still at it', () => {
  expect(kit.getCurrentTime()).toEqual(START);
});

it('When the time is increased by an ISO duration, then the clock moves by exactly it', async () => {
  await kit.increaseTime('PT1H30M');

  expect(kit.getCurrentTime()).toEqual(new Date('2030-03-01T10:30:00Z'));
});

it('When the time is set, then the clock is pinned at that instant', async () => {
  await kit.setTime(Date.parse('2031-01-01T00:00:00Z'));

  expect(kit.getCurrentTime()).toEqual(new Date('2031-01-01T00:00:00Z'));
});

it.each([['two weeks'], [-1]])('When the time is increased by %s, then it is refused as an invalid duration', async (duration) => {
  await expect(kit.increaseTime(duration)).rejects.toThrow(InvalidDurationError);
});
