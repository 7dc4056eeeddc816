/**
 * The ops page as ops use it: the embedded engine serving Camunda 8.8's REST API on ephemeral ports
 * with a read+write and a read-only token, the ops service in front of it, the `ops-charge` fixture
 * deployed and a real `@camunda8/sdk` worker for its card charges. With `orderService`, also the
 * Order service on its own test database and messaging prefix, with the same tokens, checking out
 * orders on that engine (checkout.bpmn; no checkout workers, so an order waits at Retrieve payment).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { openTestBrowser, type TestBrowser } from '../../support/browser.js';
import { sdkZeebeClient } from '../../../bench/sdk-client.js';
import { startEngineServer, type EngineServer } from '../../../infra/engine/engine-server.js';
import { startOpsService, type OpsService } from '../../../services/ops/ops-service.js';
import { startOrderService, type OrderService } from '../../../services/order/order-service.js';
import { createTestDatabases } from '../../../lib/database/test-databases.js';
import { topologyNames } from '../../../infra/messaging/index.js';
import { deleteOrderServiceTopology, testZeebeSettings } from '../../support/order-service-setup.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const PROCESS_ID = 'ops-charge';
export const CHARGE_JOB_TYPE = 'ops-charge-card';
export const CHARGE_ELEMENT = 'charge-card';
export const AWAIT_ELEMENT = 'await-card-update';
export const CHARGE_FAILURE = 'Card processor unavailable: connection reset by peer';

export interface OpsTestSystem {
  readonly engine: EngineServer;
  readonly ops: OpsService;
  /** Started with `{ orderService: true }` only. */
  readonly order: OrderService | undefined;
  /** `http://127.0.0.1:<port>` of the engine's REST API, for assertions that bypass the page. */
  readonly apiUrl: string;
  readonly token: string;
  readonly readToken: string;
  readonly processDefinitionKey: string;
  /** Charges fail with no retries left for these order ids until {@link OpsTestSystem.failingOrders} drops them. */
  readonly failingOrders: Set<string>;
  /** Starts an order of the fixture; resolves with its process instance key. */
  startOrder(orderId: string): Promise<string>;
  /** Deploys another file of `fixtures/` (`ops-parallel.bpmn`); resolves with its process definition key. */
  deployFixture(fileName: string): Promise<string>;
  /** Starts an instance of a deployed process; resolves with its process instance key. */
  startInstance(bpmnProcessId: string, variables: Record<string, string>): Promise<string>;
  /** A call of the REST API with the read+write token; throws on a non-2xx answer, resolves undefined for 204. */
  api<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T>;
  /** Waits until the API lists `count` process instances matching `filter`. */
  waitForInstances(count: number, filter?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

const rabbitUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The kit's Order service's stuck-order threshold. */
export const STUCK_AFTER_MS = 2_000;
/** Nothing listens on the discard port: without an Order service the page's order panel says so. */
const NO_ORDER_SERVICE_URL = 'http://127.0.0.1:9';

export async function startOpsTestSystem(options: { orderService?: boolean } = {}): Promise<OpsTestSystem> {
  const token = `ops-${randomBytes(12).toString('hex')}`;
  const readToken = `read-${randomBytes(12).toString('hex')}`;
  const engine = await startEngineServer({ restPort: 0, opsToken: token, opsReadToken: readToken, shutdownGraceMs: 1_000 });
  const apiUrl = `http://127.0.0.1:${engine.restPort}`;
  const closers: (() => Promise<unknown>)[] = [() => engine.close()];
  try {
    const order = options.orderService ? await startOrderServiceOn(engine, { opsToken: token, readToken }, closers) : undefined;
    const orderUrl = order ? `http://127.0.0.1:${order.port}` : NO_ORDER_SERVICE_URL;
    const ops = await startOpsService({ port: 0, apiUrl, orderUrl, logger: pino({ level: 'silent' }) });
    closers.push(() => ops.close());
    const zeebe = sdkZeebeClient(engine.grpcAddress);
    closers.push(() => zeebe.close());
    const deployFixture = async (fileName: string) => {
      const deployment = await zeebe.deployResource({ processFilename: path.join(fixtures, fileName) });
      return String(deployment.deployments[0]!.process.processDefinitionKey);
    };
    const startInstance = async (bpmnProcessId: string, variables: Record<string, string>) => String((await zeebe.createProcessInstance({ bpmnProcessId, variables })).processInstanceKey);
    const processDefinitionKey = await deployFixture('ops-charge.bpmn');
    const failingOrders = new Set<string>();
    const worker = zeebe.createWorker({
      taskType: CHARGE_JOB_TYPE,
      pollInterval: 100,
      taskHandler: (job) => {
        const orderId = String((job.variables as { orderId?: unknown }).orderId);
        return failingOrders.has(orderId) ? job.fail({ errorMessage: CHARGE_FAILURE, retries: 0 }) : job.complete({ charged: true });
      },
    });
    closers.push(async () => worker.close());
    const api = async <T>(method: 'GET' | 'POST' | 'PUT', apiPath: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${apiUrl}${apiPath}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`Expected ${method} ${apiPath} to succeed, but it answered ${response.status}: ${await response.text()}`);
      return (response.status === 204 ? undefined : await response.json()) as T;
    };
    return {
      engine,
      ops,
      order,
      apiUrl,
      token,
      readToken,
      processDefinitionKey,
      failingOrders,
      startOrder: (orderId) => startInstance(PROCESS_ID, { orderId }),
      deployFixture,
      startInstance,
      api,
      async waitForInstances(count, filter = {}) {
        await eventually(`${count} instances matching ${JSON.stringify(filter)}`, () => api<{ items: unknown[] }>('POST', '/v2/process-instances/search', { filter }), ({ items }) => items.length === count);
      },
      async close() {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

/**
 * For each test of the calling `describe`: a fresh system and Chromium on its ops page, screenshots
 * under `test-artifacts/<artifactsDir>/`; both closed after the test. Read the fields inside tests.
 */
export function eachTestWithOpsPage(artifactsDir: string): { readonly system: OpsTestSystem; readonly browser: TestBrowser } {
  const current = {} as { system: OpsTestSystem; browser: TestBrowser };
  beforeEach(async () => {
    current.system = await startOpsTestSystem();
    current.browser = await openTestBrowser({ artifactsDir, baseURL: current.system.ops.url });
  });
  afterEach(async () => {
    await current.browser?.close();
    await current.system?.close();
  });
  return current;
}

/** The Order service on a fresh database and messaging prefix; what it leaves behind goes with `closers`. */
async function startOrderServiceOn(engine: EngineServer, opsTokens: { opsToken: string; readToken: string }, closers: (() => Promise<unknown>)[]): Promise<OrderService> {
  const databases = await createTestDatabases(['order']);
  closers.push(() => databases.drop());
  const names = topologyNames(`test-${randomBytes(4).toString('hex')}.orderflow`);
  closers.push(() => deleteOrderServiceTopology(names));
  const order = await startOrderService({
    port: 0,
    database: databases.config,
    messaging: { url: rabbitUrl, prefix: names.prefix },
    zeebe: testZeebeSettings(engine.grpcAddress),
    opsTokens,
    // An order standing still for 2 s counts as stuck, so the page's list can be seen filling.
    stuckOrders: { intervalMs: 60_000, thresholdMs: STUCK_AFTER_MS },
    logger: pino({ level: 'silent' }),
  });
  closers.push(() => order.close());
  return order;
}

/** What the tests read of an element instance the search API lists. */
export interface ElementInstance {
  elementId: string;
  state: string;
}

/** The BPMN ids of the instance's active element instances, one per instance, as the search API lists them. */
export async function activeElements(system: OpsTestSystem, processInstanceKey: string): Promise<string[]> {
  const result = await system.api<{ items: ElementInstance[] }>('POST', '/v2/element-instances/search', { filter: { processInstanceKey, state: 'ACTIVE' } });
  return result.items.map((element) => element.elementId);
}

/** Polls `read` until `accept` holds (the search projection is eventually consistent); fails with the last value seen. */
export async function eventually<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Expected ${what} within ${timeoutMs} ms, but last saw ${JSON.stringify(last)}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
