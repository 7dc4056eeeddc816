import { randomBytes, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../../../lib/database/test-databases.js';
import { startTestEngine, type TestEngine } from '../../../infra/engine/testing/index.js';
import {
  Publisher,
  RabbitConnection,
  createMessage,
  topologyNames,
  type Envelope,
  type EventType,
  type TopologyNames,
} from '../../../infra/messaging/index.js';
import { createOrderDatabase, type OrderDatabase } from '../../../services/order/data-access/order-database.js';
import { startOrderService, type OrderService, type OrderServiceOptions } from '../../../services/order/order-service.js';
import { authorizationFor } from '../../support/customer-token.js';
import { deleteOrderServiceTopology, testZeebeSettings } from '../../support/order-service-setup.js';

const rabbitUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/** The customer a kit request acts as unless told otherwise. */
export const DEFAULT_CUSTOMER = 'customer-1';

/** Who a request is sent as: a customer id (a valid token for them), or null for no Authorization header. */
export type RequestAs = string | null;

/** A valid `POST /orders` body; override what the test is about. */
export function buildOrderRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    items: [
      { sku: 'SKU-TSHIRT', quantity: 2 },
      { sku: 'SKU-MUG', quantity: 1 },
    ],
    cardToken: 'tok_4242abcd4242',
    shippingAddress: { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    ...overrides,
  };
}

/**
 * The Order service as a test sees it: its own database, a random messaging prefix, the embedded
 * engine from the testing kit, the service on an ephemeral port, and a publisher for service events.
 */
export class OrderServiceTestKit {
  readonly names: TopologyNames = topologyNames(`test-${randomBytes(4).toString('hex')}.orderflow`);
  db!: OrderDatabase;
  engine!: TestEngine;
  service!: OrderService;
  private databases!: TestDatabases;
  private connection!: RabbitConnection;
  private publisher!: Publisher;
  private published = 0;
  private readonly instances: OrderService[] = [];

  static async start(options: Partial<OrderServiceOptions> = {}): Promise<OrderServiceTestKit> {
    const kit = new OrderServiceTestKit();
    kit.databases = await createTestDatabases(['order']);
    kit.db = createOrderDatabase(kit.databases.config);
    kit.engine = await startTestEngine();
    kit.service = await kit.startInstance(options);
    kit.connection = await RabbitConnection.connect({ url: rabbitUrl, logger, connectionName: `${kit.names.prefix}-test` });
    kit.publisher = await Publisher.create({ connection: kit.connection, logger, names: kit.names });
    return kit;
  }

  /**
   * Starts an Order service on the kit's database, engine and queues. The kit starts one; a test may
   * start another, as a second replica would run (it shares the projection queue: do not `deliver` then).
   */
  async startInstance(options: Partial<OrderServiceOptions> = {}): Promise<OrderService> {
    const instance = await startOrderService({
      port: 0,
      database: this.databases.config,
      messaging: { url: rabbitUrl, prefix: this.names.prefix },
      zeebe: testZeebeSettings(this.engine.grpcAddress),
      logger,
      retryDelayMs: 50,
      // Tests place many orders as one customer; the limit has tests of its own.
      placeOrderRateLimit: { limit: 10_000, windowMs: 60_000 },
      ...options,
    });
    this.instances.push(instance);
    return instance;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.service.port}`;
  }

  async request(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; as?: RequestAs } = {}) {
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const as = options.as === undefined ? DEFAULT_CUSTOMER : options.as;
    const authorization = as === null ? {} : await authorizationFor(as);
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...authorization, ...options.headers }, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  }

  placeOrder(body: unknown = buildOrderRequest(), key: string = randomUUID(), as: RequestAs = DEFAULT_CUSTOMER) {
    return this.request('POST', '/orders', { body, headers: { 'Idempotency-Key': key }, as });
  }

  /** Places an order as the customer and returns its id. */
  async createOrder(overrides: Record<string, unknown> = {}, as: string = DEFAULT_CUSTOMER): Promise<string> {
    const response = await this.placeOrder(buildOrderRequest(overrides), randomUUID(), as);
    expect(response.status).toBe(201);
    return response.body!.orderId as string;
  }

  async getOrder(orderId: string, as: string = DEFAULT_CUSTOMER): Promise<Record<string, any>> {
    const response = await this.request('GET', `/orders/${orderId}`, { as });
    expect(response.status).toBe(200);
    return response.body!;
  }

  /** Publishes service events as the other services would, and waits until the projection acked them. */
  async deliver(...messages: Envelope<EventType>[]): Promise<void> {
    for (const message of messages) await this.publisher.publish(message as never);
    this.published += messages.length;
    await this.service.projectionConsumer.waitFor('ack', this.published);
  }

  event<T extends EventType>(type: T, payload: Envelope<T>['payload'], occurredAt?: Date): Envelope<T> {
    return createMessage(type, payload, occurredAt ? { occurredAt } : {}) as Envelope<T>;
  }

  /** Waits until the checkout starter stored the order's process instance key. */
  async processInstanceKeyOf(orderId: string, as: string = DEFAULT_CUSTOMER): Promise<string> {
    await expect.poll(async () => (await this.getOrder(orderId, as)).processInstanceKey, { timeout: 10_000, interval: 50 }).toMatch(/^\d+$/);
    return (await this.getOrder(orderId, as)).processInstanceKey as string;
  }

  async stop(): Promise<void> {
    await this.publisher?.close().catch(() => undefined);
    for (const instance of this.instances.reverse()) await instance.close();
    await this.connection?.close();
    await this.engine?.close();
    await this.db?.$disconnect();
    await this.databases?.drop();
    await deleteOrderServiceTopology(this.names);
  }
}
