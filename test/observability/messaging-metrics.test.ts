/**
 * The messaging wrapper's metrics through a real RabbitMQ: a publisher and a consumer share one
 * registry, served on `/metrics` and scraped over HTTP after the messages went through.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import { DeadLetterCode, Publisher, commandQueueName, createMessage, type RabbitConnection } from '../../infra/messaging/index.js';
import { createMetricsRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/index.js';
import { buildChargeCommand } from '../messaging/support/message-factories.js';
import { testLogger, useRabbitTestKit } from '../messaging/support/rabbit-test-kit.js';
import { scrape } from './support/prometheus-scrape.js';

describe('messaging metrics', () => {
  const kit = useRabbitTestKit();
  let registry: Registry;
  let server: MetricsServer;
  let connection: RabbitConnection;
  let publisher: Publisher;

  beforeEach(async () => {
    registry = createMetricsRegistry('messaging-test', { defaultMetrics: false });
    server = await startMetricsServer({ registry, host: '127.0.0.1', port: 0 });
    connection = await kit().connect();
    publisher = await Publisher.create({ connection, logger: testLogger, names: kit().names, metrics: registry });
  });

  afterEach(async () => {
    await publisher.close();
    await server.close();
  });

  const metrics = () => scrape(`http://127.0.0.1:${server.port}/metrics`);
  const paymentQueue = () => commandQueueName(kit().names, 'payment');

  it('When five commands are published and handled, then five are counted confirmed and five consumed', async () => {
    const consumer = await kit().consumer(connection, { source: { kind: 'commands', service: 'payment' }, handlers: { 'payment.charge': async () => {} }, metrics: registry });

    await publisher.publishAll([1, 2, 3, 4, 5].map(() => buildChargeCommand()));
    await consumer.waitFor('ack', 5);

    const scraped = await metrics();
    expect(scraped.value('orderflow_messages_published_total', { exchange: kit().names.commandsExchange, type: 'payment.charge', outcome: 'confirmed' })).toBe(5);
    expect(scraped.value('orderflow_messages_consumed_total', { queue: paymentQueue(), type: 'payment.charge' })).toBe(5);
    expect(scraped.value('orderflow_message_consume_latency_seconds_count', { queue: paymentQueue(), type: 'payment.charge' })).toBe(5);
  });

  it('When a message was created 3 s before it is handled, then the consume latency observes at least 3 s', async () => {
    const consumer = await kit().consumer(connection, { source: { kind: 'commands', service: 'payment' }, handlers: { 'payment.charge': async () => {} }, metrics: registry });
    const old = buildChargeCommand();
    const threeSecondsAgo = createMessage('payment.charge', old.payload, { occurredAt: new Date(Date.now() - 3_000) });

    await publisher.publish(threeSecondsAgo);
    await consumer.waitFor('ack', 1);

    const latency = (await metrics()).value('orderflow_message_consume_latency_seconds_sum', { queue: paymentQueue() });
    expect(latency).toBeGreaterThanOrEqual(3);
    expect(latency).toBeLessThan(13);
  });

  it('When a handler fails once, then one retry and one consumption are counted', async () => {
    let calls = 0;
    const consumer = await kit().consumer(connection, {
      source: { kind: 'commands', service: 'payment' },
      handlers: { 'payment.charge': async () => { if (++calls === 1) throw new Error('database unavailable'); } },
      metrics: registry,
    });

    await publisher.publish(buildChargeCommand());
    await consumer.waitFor('ack', 1);

    const scraped = await metrics();
    expect(scraped.value('orderflow_messages_retried_total', { queue: paymentQueue(), type: 'payment.charge' })).toBe(1);
    expect(scraped.value('orderflow_messages_consumed_total', { queue: paymentQueue(), type: 'payment.charge' })).toBe(1);
  });

  it('When a message is not JSON, then it is counted dead-lettered with its reason code and type unknown', async () => {
    const consumer = await kit().consumer(connection, { source: { kind: 'commands', service: 'payment' }, handlers: { 'payment.charge': async () => {} }, metrics: registry });

    await kit().injectRaw(consumer.queue.queue, 'not json', { messageId: 'poison-1' });
    await consumer.waitFor('dead-letter', 1);

    const scraped = await metrics();
    expect(scraped.value('orderflow_messages_dead_lettered_total', { queue: paymentQueue(), type: 'unknown', code: DeadLetterCode.BAD_JSON })).toBe(1);
    expect(scraped.value('orderflow_messages_consumed_total')).toBe(0);
  });
});
