/**
 * The whole checkout saga inside one test process, as `npm start` composes it: the engine from its
 * testing kit (pinned clock), the four services and the job workers on ephemeral ports, fresh test
 * databases and one random messaging prefix shared by all, the test ops tokens configured. Tests talk
 * to it over HTTP only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { pino, type Logger } from 'pino';
import { expect } from 'vitest';
import { startTestEngine, type TestEngine } from '../../infra/engine/testing/index.js';
import { RabbitConnection, resolveConsumerQueue, topologyNames, type MessagingConfig, type TopologyNames } from '../../infra/messaging/index.js';
import { createTestDatabases, type TestDatabases } from '../../lib/database/test-databases.js';
import type { DatabaseConfig } from '../../lib/database/database-config.js';
import { startInventoryService, type InventoryService } from '../../services/inventory/inventory-service.js';
import { startOrderService, type OrderService } from '../../services/order/order-service.js';
import { startPaymentService, type PaymentService } from '../../services/payment/payment-service.js';
import { startShippingService, type ShippingService } from '../../services/shipping/shipping-service.js';
import { startCheckoutWorkers, type CheckoutWorkers } from '../../workers/checkout-workers.js';
import { bridgedEventTypes, messageBridgeSubscriber } from '../../workers/message-bridge.js';
import { authorizationFor } from '../support/customer-token.js';
import { opsAuthorization, testOpsTokens } from '../support/ops-token.js';
import { deleteOrderServiceTopology, testZeebeSettings } from '../support/order-service-setup.js';

const rabbitUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
/** Retry delays short enough that a redelivery never dominates a test. */
const RETRY_DELAY_MS = 50;
/** How long a test waits for an order to reach a status, or for an invariant to settle. */
export const SAGA_WAIT_MS = 30_000;
/** How long starting the engine, four services and the workers may take on a shared, busy machine. */
export const SAGA_START_MS = 120_000;

export const TEST_CARDS = { succeeds: '4242424242424242', declined: '4000000000000002' } as const;
export const FUTURE_EXPIRY = '12/39';
export const PAST_EXPIRY = '01/20';

type ServiceName = 'order' | 'payment' | 'inventory' | 'shipping';
export interface HttpResponse {
  status: number;
  headers: Headers;
  body: any;
}
export interface Payment {
  type: 'charge' | 'refund';
  amount: number;
  status: string;
}

/** A fresh customer id: each test acts as its own customer. */
export function newCustomerId(): string {
  return `customer-${randomBytes(3).toString('hex')}`;
}

/** A valid `POST /orders` body (the customer is the token's); override what the test is about. */
export function buildOrderRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    items: [
      { sku: 'SKU-TSHIRT', quantity: 2 },
      { sku: 'SKU-MUG', quantity: 1 },
    ],
    shippingAddress: { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    ...overrides,
  };
}

/** A port that was free a moment ago: the Payment service's CORS needs the checkout page's origin before the Order service listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class SagaHarness {
  readonly names: TopologyNames = topologyNames(`test-${randomBytes(4).toString('hex')}.orderflow`);
  /** The customer requests act as unless told otherwise. */
  readonly customerId = newCustomerId();
  engine!: TestEngine;
  private databases!: TestDatabases;
  private connection!: RabbitConnection;
  private workers: CheckoutWorkers | undefined;
  private order!: OrderService;
  private payment!: PaymentService;
  private inventory: InventoryService | undefined;
  private shipping!: ShippingService;
  private readonly ports = new Map<ServiceName, number>();

  /** `logger` receives every component's lines; silent unless LOG_LEVEL is set. */
  private constructor(private readonly logger: Logger) {}

  static async start(options: { logger?: Logger } = {}): Promise<SagaHarness> {
    const harness = new SagaHarness(options.logger ?? logger);
    try {
      await harness.startAll();
    } catch (error) {
      await harness.stop();
      throw error;
    }
    return harness;
  }

  private get messaging(): MessagingConfig {
    return { url: rabbitUrl, prefix: this.names.prefix };
  }

  private async startAll(): Promise<void> {
    this.databases = await createTestDatabases(['order', 'payment', 'inventory', 'shipping']);
    const logger = this.logger;
    this.engine = await startTestEngine({ logger });
    const common = { port: 0, database: this.databases.config, messaging: this.messaging, logger, retryDelayMs: RETRY_DELAY_MS, opsTokens: testOpsTokens };
    const orderPort = await freePort();
    this.payment = await startPaymentService({ ...common, corsOrigins: [`http://127.0.0.1:${orderPort}`, `http://localhost:${orderPort}`] });
    this.ports.set('payment', this.payment.port);
    await this.startInventory();
    this.shipping = await startShippingService(common);
    this.ports.set('shipping', this.shipping.port);
    this.connection = await RabbitConnection.connect({ url: rabbitUrl, logger, connectionName: `${this.names.prefix}-workers` });
    await this.startWorkers();
    this.order = await startOrderService({
      ...common,
      port: orderPort,
      paymentPublicUrl: this.url('payment'),
      zeebe: testZeebeSettings(this.engine.grpcAddress),
    });
    this.ports.set('order', this.order.port);
  }

  /** (Re)starts Inventory on its databases and queue; its port changes on each start. */
  async startInventory(): Promise<InventoryService> {
    this.inventory = await startInventoryService({ port: 0, database: this.databases.config, messaging: this.messaging, logger: this.logger, retryDelayMs: RETRY_DELAY_MS, opsTokens: testOpsTokens });
    this.ports.set('inventory', this.inventory.port);
    return this.inventory;
  }

  /** Stops Inventory, as a crash or deploy would: its commands wait in its durable queue. */
  async stopInventory(): Promise<void> {
    await this.inventory?.close();
    this.inventory = undefined;
  }

  /** (Re)starts the job workers and the message bridge. */
  async startWorkers(): Promise<void> {
    // The workers share the kit's SDK client, which points at kit.grpcAddress.
    this.workers = await startCheckoutWorkers({ zeebe: this.engine.zeebe, connection: this.connection, names: this.names, logger: this.logger, bridge: { retryDelayMs: RETRY_DELAY_MS } });
  }

  /** Stops the job workers and the message bridge, as a crash or deploy would: jobs wait in the engine, events in the bridge's queue. */
  async stopWorkers(): Promise<void> {
    await this.workers?.close();
    this.workers = undefined;
  }

  /** Where the services' databases are, for tests that read them directly (until `stop` drops them). */
  get databaseConfig(): DatabaseConfig {
    return this.databases.config;
  }

  /** The service's base URL, e.g. the checkout page at `url('order')`. */
  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.ports.get(service)}`;
  }

  /** `as`: the customer whose token is sent (the harness's customer unless given), or null for none. */
  async http(service: ServiceName, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; as?: string | null } = {}): Promise<HttpResponse> {
    const as = options.as === undefined ? this.customerId : options.as;
    const response = await fetch(`${this.url(service)}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(as === null ? {} : await authorizationFor(as)), ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** A request as ops make it, with the ops token instead of a customer's. */
  opsHttp(service: ServiceName, method: string, path: string, body?: unknown): Promise<HttpResponse> {
    return this.http(service, method, path, { body, as: null, headers: opsAuthorization() });
  }

  /** `POST /cards` at Payment as the customer; returns the card token. */
  async tokenizeCard(number: string = TEST_CARDS.succeeds, expiry: string = FUTURE_EXPIRY, as: string = this.customerId): Promise<string> {
    const response = await this.http('payment', 'POST', '/cards', { body: { number, expiry, cvc: '123' }, as });
    expect(response.status).toBe(201);
    return response.body.cardToken as string;
  }

  placeOrder(body: Record<string, unknown>, idempotencyKey: string = randomUUID(), as: string = this.customerId): Promise<HttpResponse> {
    return this.http('order', 'POST', '/orders', { body, headers: { 'Idempotency-Key': idempotencyKey }, as });
  }

  async getOrder(orderId: string, as: string = this.customerId): Promise<Record<string, any>> {
    const response = await this.http('order', 'GET', `/orders/${orderId}`, { as });
    expect(response.status).toBe(200);
    return response.body;
  }

  /** Polls `GET /orders/:id` until the order has one of the statuses; fails naming the last status seen. */
  async waitForStatus(orderId: string, ...statuses: string[]): Promise<Record<string, any>> {
    return this.waitForStatusOf(this.customerId, orderId, ...statuses);
  }

  /** Like `waitForStatus`, for an order of another customer than the harness's. */
  async waitForStatusOf(customerId: string, orderId: string, ...statuses: string[]): Promise<Record<string, any>> {
    const deadline = Date.now() + SAGA_WAIT_MS;
    let order = await this.getOrder(orderId, customerId);
    while (!statuses.includes(order.status)) {
      if (Date.now() > deadline) {
        const timeline = (order.timeline as { type: string }[] | undefined)?.map((entry) => entry.type).join(', ');
        throw new Error(`Expected order ${orderId} to reach ${statuses.join(' or ')} within ${SAGA_WAIT_MS} ms, but it is ${order.status} (timeline: ${timeline})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      order = await this.getOrder(orderId, customerId);
    }
    return order;
  }

  async stockOf(skus: readonly string[]): Promise<Record<string, number>> {
    const entries = await Promise.all(
      skus.map(async (sku) => {
        const response = await this.opsHttp('inventory', 'GET', `/stock/${sku}`);
        expect(response.status).toBe(200);
        return [sku, response.body.available as number] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  async setStock(sku: string, quantity: number): Promise<void> {
    expect((await this.opsHttp('inventory', 'PUT', `/stock/${sku}`, { quantity })).status).toBe(200);
  }

  async paymentsOf(orderId: string): Promise<Payment[]> {
    const response = await this.opsHttp('payment', 'GET', `/payments?orderId=${orderId}`);
    expect(response.status).toBe(200);
    return response.body.items;
  }

  async shipmentsOf(orderId: string): Promise<Record<string, any>[]> {
    const response = await this.opsHttp('shipping', 'GET', `/shipments?orderId=${orderId}`);
    expect(response.status).toBe(200);
    return response.body.items;
  }

  async stop(): Promise<void> {
    await this.order?.close();
    await this.stopWorkers();
    await this.connection?.close();
    await this.stopInventory();
    await this.shipping?.close();
    await this.payment?.close();
    await this.engine?.close();
    await this.databases?.drop();
    await deleteOrderServiceTopology(this.names, [resolveConsumerQueue(this.names, { kind: 'events', subscriber: messageBridgeSubscriber, eventTypes: bridgedEventTypes })]).catch(() => undefined);
  }
}
