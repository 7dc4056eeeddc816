/**
 * The workers' `/metrics` (what `workers/main.ts` serves on ORDERFLOW_WORKERS_METRICS_PORT), after
 * real jobs: the engine from its testing kit, the checkout workers on `@camunda8/sdk`, RabbitMQ.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertThatProcessInstance, startTestEngine, type TestEngine } from '../../infra/engine/testing/index.js';
import { createMetricsRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/index.js';
import { resolveConsumerQueue } from '../../infra/messaging/index.js';
import { startCheckoutWorkers, type CheckoutWorkers } from '../../workers/checkout-workers.js';
import { bridgedEventTypes, messageBridgeSubscriber } from '../../workers/message-bridge.js';
import { rabbitUrl, testLogger, useRabbitTestKit } from '../messaging/support/rabbit-test-kit.js';
import { scrape } from './support/prometheus-scrape.js';

const validVariables = () => ({ orderId: randomUUID(), customerId: 'customer-1', cardToken: 'tok_4f9a2c1b7e3d', total: { amount: 4_999, currency: 'EUR' } });

describe('worker metrics', () => {
  const kit = useRabbitTestKit();
  let engine: TestEngine;
  let registry: Registry;
  let workers: CheckoutWorkers;
  let server: MetricsServer;

  beforeEach(async () => {
    engine = await startTestEngine();
    await engine.deploy('test/observability/fixtures/charge-payment.bpmn');
    registry = createMetricsRegistry('workers');
    workers = await startCheckoutWorkers({ zeebe: engine.zeebe, connection: await kit().connect(), names: kit().names, logger: testLogger, metrics: registry });
    server = await startMetricsServer({ registry, host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    await server.close();
    await workers.close();
    const channel = await kit().rawChannel();
    for (const queue of [workers.bridge.queue.queue, workers.bridge.queue.retryQueue, workers.bridge.queue.deadLetterQueue]) await channel.deleteQueue(queue);
    await engine.close();
  });

  const metrics = () => scrape(`http://127.0.0.1:${server.port}/metrics`);

  it('When two payment jobs are handled, then two are counted completed with their handler durations and confirmed commands', async () => {
    const instances = await Promise.all([1, 2].map(() => engine.createInstance('charge-payment', validVariables())));
    for (const instance of instances) await assertThatProcessInstance(engine, instance).isCompleted();

    const scraped = await metrics();
    expect(scraped.value('orderflow_worker_jobs_handled_total', { type: 'payment.charge', outcome: 'completed' })).toBe(2);
    expect(scraped.value('orderflow_worker_job_handler_duration_seconds_count', { type: 'payment.charge', outcome: 'completed' })).toBe(2);
    expect(scraped.value('orderflow_messages_published_total', { type: 'payment.charge', outcome: 'confirmed' })).toBe(2);
  });

  it('When a job has invalid variables, then it is counted as an incident and nothing is published', async () => {
    const { cardToken: _cardToken, ...withoutCard } = validVariables();
    const instance = await engine.createInstance('charge-payment', withoutCard);
    await assertThatProcessInstance(engine, instance).hasActiveIncidents();

    const scraped = await metrics();
    expect(scraped.value('orderflow_worker_jobs_handled_total', { type: 'payment.charge', outcome: 'incident' })).toBe(1);
    expect(scraped.value('orderflow_worker_jobs_handled_total', { type: 'payment.charge', outcome: 'completed' })).toBe(0);
    expect(scraped.value('orderflow_messages_published_total')).toBe(0);
  });

  it('When the workers serve /metrics, then Node process metrics carry the service label workers', async () => {
    expect((await metrics()).has('process_resident_memory_bytes', { service: 'workers' })).toBe(true);
  });
});

/** Resolves with the first JSON log line of `stream` that `matches`; rejects if the stream ends first or after `timeoutMs`. */
async function logLine(stream: NodeJS.ReadableStream, matches: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
  const timer = setTimeout(() => stream.emit('error', new Error(`Expected a matching log line within ${timeoutMs} ms, but none came`)), timeoutMs);
  try {
    for await (const text of createInterface({ input: stream })) {
      const line = JSON.parse(text) as Record<string, unknown>;
      if (matches(line)) return line;
    }
    throw new Error('Expected a matching log line, but the process closed its output first');
  } finally {
    clearTimeout(timer);
  }
}

describe('workers process', () => {
  const kit = useRabbitTestKit();

  it('When workers/main.ts runs, then it serves /metrics on ORDERFLOW_WORKERS_METRICS_PORT, logs where, and counts the jobs it handled', { timeout: 60_000 }, async () => {
    const engine = await startTestEngine();
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        ...process.env,
        ZEEBE_GRPC_ADDRESS: `grpc://${engine.grpcAddress}`,
        CAMUNDA_AUTH_STRATEGY: 'NONE',
        RABBITMQ_URL: rabbitUrl,
        ORDERFLOW_MESSAGING_PREFIX: kit().names.prefix,
        // 0: a free port, which the workers log; two test runs never compete for 9464.
        ORDERFLOW_WORKERS_METRICS_PORT: '0',
        ORDERFLOW_WORKERS_LOG_LEVEL: 'info',
      },
    });
    const exited = once(child, 'exit');
    try {
      const served = await logLine(child.stdout!, (line) => line.msg === 'metrics served', 30_000);
      const url = String(served.url);
      // Keep draining the workers' output, or a full pipe would block their logging.
      child.stdout!.resume();
      await engine.deploy('test/observability/fixtures/charge-payment.bpmn');
      const instance = await engine.createInstance('charge-payment', validVariables());
      await assertThatProcessInstance(engine, instance).isCompleted();

      const scraped = await scrape(url);
      expect(scraped.value('orderflow_worker_jobs_handled_total', { type: 'payment.charge', outcome: 'completed', service: 'workers' })).toBe(1);

      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      const bridge = resolveConsumerQueue(kit().names, { kind: 'events', subscriber: messageBridgeSubscriber, eventTypes: bridgedEventTypes });
      const channel = await kit().rawChannel();
      for (const queue of [bridge.queue, bridge.retryQueue, bridge.deadLetterQueue]) await channel.deleteQueue(queue);
      await engine.close();
    }
  });
});
