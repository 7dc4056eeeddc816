/**
 * The checkout workers and the message bridge against the embedded engine (testing kit) and the real
 * RabbitMQ under a random prefix: jobs become confirmed commands (or events), events become correlated messages.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertThatProcessInstance, startTestEngine, type TestEngine } from '../../infra/engine/testing/index.js';
import { commandQueueName, createMessage, type Consumer, type EventType, type Message, type Publisher } from '../../infra/messaging/index.js';
import { startCheckoutWorkers, type CheckoutWorkers } from '../../workers/checkout-workers.js';
import { buildChargedEvent } from '../messaging/support/message-factories.js';
import { testLogger, useRabbitTestKit } from '../messaging/support/rabbit-test-kit.js';
import { buildCheckoutVariables } from './support/checkout-variables.js';

const CHECKOUT_BPMN = fileURLToPath(new URL('../../processes/checkout.bpmn', import.meta.url));

describe('checkout workers and message bridge', () => {
  const kit = useRabbitTestKit();
  let engine: TestEngine;
  let workers: CheckoutWorkers;
  let publisher: Publisher;

  beforeEach(async () => {
    engine = await startTestEngine({ logger: testLogger });
    await engine.deploy(CHECKOUT_BPMN);
    const connection = await kit().connect();
    publisher = await kit().publisher(connection);
    workers = await startCheckoutWorkers({ zeebe: engine.zeebe, connection, names: kit().names, logger: testLogger, bridge: { retryDelayMs: 20 } });
  });

  afterEach(async () => {
    await workers.close();
    const channel = await kit().rawChannel();
    for (const queue of [workers.bridge.queue.queue, workers.bridge.queue.deadLetterQueue, workers.bridge.queue.retryQueue]) await channel.deleteQueue(queue);
    await engine.close();
  });

  it('When the payment.charge job is activated, then a confirmed payment.charge command with the order total waits on the payment queue and the job completes', async () => {
    const variables = buildCheckoutVariables();

    const instance = await engine.createInstance('checkout', variables);

    await assertThatProcessInstance(engine, instance).hasPassedElements('retrieve-payment').isWaitingForMessage('payment.charged', variables.orderId).hasVariable('paymentAttempts', 1);
    const commands = (await kit().drain(commandQueueName(kit().names, 'payment'))).map((delivery) => JSON.parse(delivery.content.toString()));
    expect(commands).toEqual([
      expect.objectContaining({
        type: 'payment.charge',
        correlationId: variables.orderId,
        payload: { orderId: variables.orderId, customerId: 'customer-1', cardToken: 'tok_4f9a2c1b7e3d', amount: { amount: 4_999, currency: 'EUR' } },
      }),
    ]);
  });

  it('When a job has variables that break the contract, then it fails without retries and the instance shows an incident', async () => {
    const instance = await engine.createInstance('checkout', buildCheckoutVariables({ cardToken: 'not-a-token' }));

    await assertThatProcessInstance(engine, instance).hasActiveIncidents().isWaitingAtElements('retrieve-payment');
    expect(await kit().messageCount(commandQueueName(kit().names, 'payment'))).toBe(0);
  });

  it('When payment.charged is published on the events exchange, then the bridge correlates it and the instance goes on to fetch the goods', async () => {
    const variables = buildCheckoutVariables();
    const instance = await engine.createInstance('checkout', variables);
    await assertThatProcessInstance(engine, instance).isWaitingForMessage('payment.charged', variables.orderId);
    const charged = buildChargedEvent({ orderId: variables.orderId });

    await publisher.publish(charged);

    await assertThatProcessInstance(engine, instance)
      .hasCorrelatedMessage('payment.charged')
      .hasVariable('paymentId', charged.payload.paymentId)
      .hasPassedElements('payment-charged', 'fetch-goods')
      .isWaitingForMessage('inventory.reserved', variables.orderId);
    const reserveCommands = await kit().drain(commandQueueName(kit().names, 'inventory'));
    expect(reserveCommands.map((delivery) => JSON.parse(delivery.content.toString()).type)).toEqual(['inventory.reserve']);
  });

  it('When an event arrives before the process waits for it, then the buffered message correlates once the process gets there', async () => {
    const variables = buildCheckoutVariables();
    await publisher.publish(buildChargedEvent({ orderId: variables.orderId }));
    await workers.bridge.waitFor('ack', 1);

    const instance = await engine.createInstance('checkout', variables);

    await assertThatProcessInstance(engine, instance).hasPassedElements('payment-charged', 'fetch-goods');
  });

  it('When the same event is delivered twice, then it is acknowledged twice but correlates once', async () => {
    const variables = buildCheckoutVariables();
    const instance = await engine.createInstance('checkout', variables);
    await assertThatProcessInstance(engine, instance).isWaitingForMessage('payment.charged', variables.orderId);
    const charged = buildChargedEvent({ orderId: variables.orderId });

    await publisher.publish(charged);
    await publisher.publish(charged);
    await workers.bridge.waitFor('ack', 2);

    await assertThatProcessInstance(engine, instance).hasPassedElements('payment-charged', 'fetch-goods');
    const published = engine.records.all().filter((record) => record.valueType === 'MESSAGE' && record.intent === 'PUBLISHED' && record.value.messageId === charged.id);
    const completions = engine.records.all().filter((record) => record.intent === 'ELEMENT_COMPLETED' && record.value.elementId === 'payment-charged');
    expect({ published: published.length, completions: completions.length }).toEqual({ published: 1, completions: 1 });
    expect(workers.bridge.countOf('dead-letter')).toBe(0);
  });

  it('When customer.notify runs after an expired card, then a customer.notified event with the header topic is published and the order waits for the card update', async () => {
    const variables = buildCheckoutVariables();
    const instance = await engine.createInstance('checkout', variables);
    const events = await kit().consumer(await kit().connect(), {
      source: { kind: 'events', subscriber: 'notification-spy', eventTypes: ['customer.notified'] },
      handlers: { 'customer.notified': async () => undefined },
    });
    await assertThatProcessInstance(engine, instance).isWaitingForMessage('payment.card-expired', variables.orderId);

    await publisher.publish(createMessage('payment.card-expired', { orderId: variables.orderId, cardToken: variables.cardToken, cardLast4: '4242' }));

    await assertThatProcessInstance(engine, instance).hasPassedElements('notify-card-expired').isWaitingForMessage('payment.card-updated', variables.orderId);
    const [notified] = await events.waitFor('ack', 1);
    expect(notified).toMatchObject({ type: 'customer.notified' });
  });

  it('When the goods are shipped, then the order.complete job becomes a confirmed order.completed event and the instance completes', async () => {
    const variables = buildCheckoutVariables();
    const outcomes = await spyOnEvents('order.completed');
    const instance = await engine.createInstance('checkout', variables);

    await publishWhenWaiting(instance, buildChargedEvent({ orderId: variables.orderId }));
    await publishWhenWaiting(instance, createMessage('inventory.reserved', { orderId: variables.orderId, items: variables.items }));
    await publishWhenWaiting(instance, createMessage('shipping.shipped', { orderId: variables.orderId, shipmentId: randomUUID(), trackingNumber: 'TRACK-1' }));

    await outcomes.consumer.waitFor('ack', 1);
    expect(outcomes.received).toEqual([expect.objectContaining({ type: 'order.completed', correlationId: variables.orderId, payload: { orderId: variables.orderId } })]);
    await assertThatProcessInstance(engine, instance).hasPassedElementsInOrder('goods-shipped', 'confirm-order-completed', 'order-completed').isCompleted();
  });

  it('When the payment is declined, then the order.cancel job becomes a confirmed order.cancelled event with the cancellation reason and the instance completes', async () => {
    const variables = buildCheckoutVariables();
    const outcomes = await spyOnEvents('order.cancelled');
    const instance = await engine.createInstance('checkout', variables);

    await publishWhenWaiting(instance, createMessage('payment.declined', { orderId: variables.orderId, reason: 'insufficient funds' }));

    await outcomes.consumer.waitFor('ack', 1);
    expect(outcomes.received).toEqual([expect.objectContaining({ type: 'order.cancelled', correlationId: variables.orderId, payload: { orderId: variables.orderId, reason: 'payment-declined' } })]);
    await assertThatProcessInstance(engine, instance).hasPassedElementsInOrder('confirm-order-cancelled', 'order-cancelled').isCompleted();
  });

  /** A subscriber of its own on the events exchange, standing in for the Order service's projection. */
  async function spyOnEvents(type: EventType): Promise<{ consumer: Consumer; received: Message[] }> {
    const received: Message[] = [];
    const consumer = await kit().consumer(await kit().connect(), {
      source: { kind: 'events', subscriber: 'outcome-spy', eventTypes: [type] },
      handlers: { [type]: async (event: Message) => void received.push(event) },
    });
    return { consumer, received };
  }

  /** Publishes a service event once the instance waits for it, as the service would after its command. */
  async function publishWhenWaiting(instance: { processInstanceKey: string }, event: Message) {
    await assertThatProcessInstance(engine, instance).isWaitingForMessage(event.type, event.correlationId);
    await publisher.publish(event);
  }
});
