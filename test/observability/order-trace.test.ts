/**
 * One order through the whole saga (engine, four services, workers, message bridge, PostgreSQL,
 * RabbitMQ), every component logging into one captured stream: the order's lines must be findable
 * by its orderId everywhere, and each service's `/metrics` must count what it did for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAGA_WAIT_MS, SagaHarness, buildOrderRequest } from '../e2e/saga-harness.js';
import { pollUntil } from './support/poll.js';
import { captureLog, type CapturedLog, type LogLine } from './support/captured-log.js';
import { scrape } from './support/prometheus-scrape.js';

describe('one order, followed through logs and metrics', () => {
  let saga: SagaHarness;
  let log: CapturedLog;
  let orderId: string;
  let processInstanceKey: string;
  let total: { amount: number; currency: string };

  beforeAll(async () => {
    log = captureLog('debug');
    saga = await SagaHarness.start({ logger: log.logger });
    const placed = await saga.placeOrder(buildOrderRequest({ cardToken: await saga.tokenizeCard() }));
    expect(placed.status).toBe(201);
    ({ orderId, total } = placed.body);
    ({ processInstanceKey } = await saga.waitForStatus(orderId, 'COMPLETED'));
    // The order is COMPLETED once its projection saw order.completed; the last job's completion may still be on its way.
    const lastJobDone = async () => workerLines().some((line) => line.jobType === 'order.complete' && line.msg === 'message confirmed, completing job');
    await pollUntil(lastJobDone, (done) => done, 'the order.complete job to be completed', SAGA_WAIT_MS);
  }, 90_000);

  afterAll(async () => {
    await saga?.stop();
  }, 60_000);

  const ofOrder = () => log.lines().filter((line) => line.orderId === orderId);
  const workerLines = () => ofOrder().filter((line) => line.component === 'job-worker');
  const describeLine = (line: LogLine) => `${String(line.service ?? '')}/${String(line.component ?? '')}: ${line.msg}`;

  it('When an order runs through the saga, then every line naming it by a process instance or message id also carries its orderId', () => {
    const messageIds = new Set<unknown>(ofOrder().map((line) => line.messageId).filter((id) => id !== undefined));
    const namingIt = log.lines().filter((line) => line.processInstanceKey === processInstanceKey || messageIds.has(line.messageId) || JSON.stringify(line).includes(orderId));

    const without = namingIt.filter((line) => line.orderId !== orderId).map(describeLine);

    expect(messageIds.size).toBeGreaterThan(0);
    expect(without, `Expected every line about order ${orderId} to carry it, but these do not`).toEqual([]);
  });

  it('When an order runs through the saga, then its lines come from every service, the job workers and the message bridge', () => {
    const components = new Set(ofOrder().map((line) => `${String(line.service ?? 'workers')}/${String(line.component)}`));

    expect([...components].sort()).toEqual(expect.arrayContaining([
      'order/order-routes',
      'order/checkout-starter',
      'order/order-projection',
      'payment/payment-commands',
      'inventory/inventory-commands',
      'shipping/shipping-commands',
      'workers/job-worker',
      'workers/message-bridge',
    ]));
  });

  it("When the workers handle the order's jobs, then each of their lines carries its processInstanceKey and messageId", () => {
    const lines = workerLines();

    expect(lines.map((line) => line.jobType)).toEqual(expect.arrayContaining(['payment.charge', 'inventory.reserve', 'shipping.ship', 'order.complete']));
    for (const line of lines) expect(line, describeLine(line)).toMatchObject({ processInstanceKey, messageId: expect.any(String) });
  });

  it('When the order completes, then the Order service counts it placed and completed, and times POST /orders', async () => {
    const metrics = await scrape(`${saga.url('order')}/metrics`);

    expect(metrics.value('orderflow_orders_total', { outcome: 'placed' })).toBe(1);
    expect(metrics.value('orderflow_orders_total', { outcome: 'completed' })).toBe(1);
    expect(metrics.value('http_server_request_duration_seconds_count', { method: 'POST', route: '/orders', status: '201' })).toBe(1);
    expect(metrics.value('orderflow_stuck_orders')).toBe(0);
  });

  it('When the order is paid, then the Payment service counts one charge and its amount in minor units', async () => {
    const metrics = await scrape(`${saga.url('payment')}/metrics`);

    expect(metrics.value('orderflow_payments_total', { outcome: 'charged' })).toBe(1);
    expect(metrics.value('orderflow_payment_amount_minor_units_total', { outcome: 'charged', currency: total.currency })).toBe(total.amount);
    expect(metrics.value('orderflow_messages_consumed_total', { type: 'payment.charge' })).toBe(1);
  });

  it('When the goods are reserved and shipped, then Inventory and Shipping each count their outcome', async () => {
    const inventory = await scrape(`${saga.url('inventory')}/metrics`);
    const shipping = await scrape(`${saga.url('shipping')}/metrics`);

    expect(inventory.value('orderflow_reservations_total', { outcome: 'reserved' })).toBe(1);
    expect(inventory.value('orderflow_messages_published_total', { type: 'inventory.reserved', outcome: 'confirmed' })).toBe(1);
    expect(shipping.value('orderflow_shipments_total', { outcome: 'shipped' })).toBe(1);
  });
});
