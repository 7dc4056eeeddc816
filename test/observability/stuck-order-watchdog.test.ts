/**
 * The stuck-order watchdog against a real Order database: orders are written with chosen update
 * times, and the watchdog's clock is moved instead of waiting. The gauge is read from `/metrics`
 * over HTTP, the list from `GET /ops/stuck-orders`.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useServiceDatabase } from '../support/service-database.js';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';
import { createMetricsRegistry, metricsHandler } from '../../lib/metrics/index.js';
import { createOrderDatabase } from '../../services/order/data-access/order-database.js';
import { CARD_UPDATE_WINDOW_MS, StuckOrderWatchdog } from '../../services/order/domain/stuck-order-watchdog.js';
import { stuckOrderRoutes } from '../../services/order/entry-points/http/stuck-order-routes.js';
import { captureLog, type CapturedLog } from './support/captured-log.js';
import { scrape } from './support/prometheus-scrape.js';

const MINUTE = 60_000;
const THRESHOLD_MS = 15 * MINUTE;
const OPS_TOKEN = 'ops-token-for-the-watchdog-test';
const READ_TOKEN = 'read-token-for-the-watchdog-test';

const database = useServiceDatabase('order', createOrderDatabase);
let now: Date;
let log: CapturedLog;
let registry: Registry;
let watchdog: StuckOrderWatchdog;
let server: Server;
let baseUrl: string;

beforeEach(async () => {
  await database.db.$executeRawUnsafe('TRUNCATE orders CASCADE');
  now = new Date();
  log = captureLog();
  registry = createMetricsRegistry('order', { defaultMetrics: false });
  watchdog = new StuckOrderWatchdog({ db: database.db, logger: log.logger, metrics: registry, intervalMs: MINUTE, thresholdMs: THRESHOLD_MS, clock: () => now });
  const app = express();
  app.get('/metrics', metricsHandler(registry));
  app.use(stuckOrderRoutes({ watchdog, opsTokens: { opsToken: OPS_TOKEN, readToken: READ_TOKEN } }));
  server = await listen(app, 0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${boundPort(server)}`;
});

afterEach(async () => {
  await watchdog.stop();
  await closeServer(server);
});

/** Writes an order whose projection last changed `minutesAgo` before the watchdog's clock. */
async function orderChanged(minutesAgo: number, status: string, processInstanceKey: string | null = '2251799813685249'): Promise<string> {
  const id = randomUUID();
  await database.db.$executeRawUnsafe(
    `INSERT INTO orders (id, customer_id, status, total_amount, currency, card_token, shipping_address, process_instance_key, created_at, updated_at)
     VALUES ($1::uuid, 'customer-1', $2, 4999, 'EUR', 'tok_4f9a2c1b7e3d', '{}'::jsonb, $3, $4, $4)`,
    id, status, processInstanceKey, new Date(now.getTime() - minutesAgo * MINUTE),
  );
  return id;
}

async function stuckOrders(authorization = `Bearer ${OPS_TOKEN}`) {
  const response = await fetch(`${baseUrl}/ops/stuck-orders`, { headers: { authorization } });
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as Record<string, any> };
}

const warnings = () => log.lines().filter((line) => line.msg === 'Order stuck');

describe('stuck-order watchdog', () => {
  it('When an active order has not changed for longer than the threshold, then it is listed with its status, since and process instance', async () => {
    const stuck = await orderChanged(16, 'PAID', '2251799813685300');
    await orderChanged(14, 'PAID');

    const { status, body } = await stuckOrders();

    expect(status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.items).toEqual([{ orderId: stuck, status: 'PAID', since: new Date(now.getTime() - 16 * MINUTE).toISOString(), processInstanceKey: '2251799813685300' }]);
  });

  it('When orders are stuck, then the gauge orderflow_stuck_orders counts them after a check', async () => {
    await orderChanged(20, 'PENDING');
    await orderChanged(30, 'GOODS_FETCHED', null);

    await watchdog.check();

    expect((await scrape(`${baseUrl}/metrics`)).value('orderflow_stuck_orders')).toBe(2);
  });

  it('When an order is completed or cancelled, then it is never stuck however old', async () => {
    await orderChanged(10_000, 'COMPLETED');
    await orderChanged(10_000, 'CANCELLED');

    expect((await stuckOrders()).body.items).toEqual([]);
  });

  it('When an order awaits a card update, then it is stuck only after the two-week wait and the threshold have passed', async () => {
    const withinWait = await orderChanged((CARD_UPDATE_WINDOW_MS + THRESHOLD_MS) / MINUTE - 1, 'AWAITING_CARD_UPDATE');
    const pastWait = await orderChanged((CARD_UPDATE_WINDOW_MS + THRESHOLD_MS) / MINUTE + 1, 'AWAITING_CARD_UPDATE');

    const listed = (await stuckOrders()).body.items.map((order: { orderId: string }) => order.orderId);

    expect(listed).toContain(pastWait);
    expect(listed).not.toContain(withinWait);
  });

  it('When an event was added to an old order’s timeline recently, then the order is not stuck', async () => {
    const orderId = await orderChanged(60, 'PAID');
    await database.db.$executeRawUnsafe(
      `INSERT INTO order_timeline_entries (order_id, type, occurred_at, recorded_at) VALUES ($1::uuid, 'customer.notified', $2, $2)`,
      orderId, new Date(now.getTime() - MINUTE),
    );

    expect((await stuckOrders()).body.total).toBe(0);
  });

  it('When the watchdog checks a stuck order again and again, then it warns once, with its orderId and processInstanceKey', async () => {
    const orderId = await orderChanged(20, 'PAID', '2251799813685400');

    await watchdog.check();
    now = new Date(now.getTime() + MINUTE);
    await watchdog.check();

    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ orderId, processInstanceKey: '2251799813685400', status: 'PAID', level: 40 });
  });

  it('When a stuck order moves and later gets stuck again, then it is warned about again', async () => {
    const orderId = await orderChanged(20, 'PAID');
    await watchdog.check();

    await database.db.$executeRawUnsafe(`UPDATE orders SET status = 'GOODS_FETCHED', updated_at = $2 WHERE id = $1::uuid`, orderId, now);
    await watchdog.check();
    now = new Date(now.getTime() + THRESHOLD_MS + MINUTE);
    await watchdog.check();

    expect(warnings().map((line) => line.status)).toEqual(['PAID', 'GOODS_FETCHED']);
  });

  it('When started, then it checks again every interval by itself and warns about orders that got stuck since', async () => {
    const own = new StuckOrderWatchdog({ db: database.db, logger: log.logger, metrics: createMetricsRegistry('order', { defaultMetrics: false }), intervalMs: 20, thresholdMs: THRESHOLD_MS, clock: () => now });
    const first = await orderChanged(20, 'PAID');
    own.start();
    try {
      await expect.poll(() => warnings().map((line) => line.orderId), { timeout: 10_000 }).toEqual([first]);
      const second = await orderChanged(30, 'PENDING');
      await expect.poll(() => warnings().map((line) => line.orderId), { timeout: 10_000 }).toEqual([first, second]);
    } finally {
      await own.stop();
    }
  });

  it('When the ops token is missing or wrong, then the list answers 401 as problem+json naming Authorization', async () => {
    await orderChanged(20, 'PAID');

    for (const authorization of ['', 'Bearer not-the-ops-token', OPS_TOKEN]) {
      const { status, contentType, body } = await stuckOrders(authorization);
      expect(status, `Authorization: ${JSON.stringify(authorization)}`).toBe(401);
      expect(contentType).toMatch(/^application\/problem\+json/);
      expect(body.errors).toEqual([{ field: 'Authorization', message: 'Expected Bearer <ORDERFLOW_OPS_TOKEN> or Bearer <ORDERFLOW_OPS_READ_TOKEN>' }]);
      expect(JSON.stringify(body)).not.toContain('orderId');
    }
  });

  it('When the read token is sent, then the list answers 200', async () => {
    const { status } = await stuckOrders(`Bearer ${READ_TOKEN}`);

    expect(status).toBe(200);
  });
});
