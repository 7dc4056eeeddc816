import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createTestDatabases, type TestDatabases } from '../../../lib/database/test-databases.js';
import { createMessage, eventTypes, type Consumer, type Envelope, type EventType, type Message, type Publisher } from '../../../infra/messaging/index.js';
import { createPaymentDatabase, type PaymentDatabase } from '../../../services/payment/data-access/payment-database.js';
import { startPaymentService, type PaymentService } from '../../../services/payment/payment-service.js';
import { RabbitTestKit, rabbitUrl } from '../../messaging/support/rabbit-test-kit.js';
import { authorizationFor } from '../../support/customer-token.js';
import { opsAuthorization, testOpsTokens } from '../../support/ops-token.js';

/** The customer kit requests act as, and charge commands are for, unless told otherwise. */
export const DEFAULT_CUSTOMER = 'customer-1';

const paymentEventTypes = eventTypes.filter((type) => type.startsWith('payment.'));

/** A valid `POST /cards` body for the test card that succeeds; override what the test is about. */
export function buildCard(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { number: '4242424242424242', expiry: '12/34', cvc: '123', ...overrides };
}

/** A `payment.charge` command for a fresh order unless `orderId` is given. */
export function buildChargeCommand(cardToken: string, overrides: { orderId?: string; amount?: number; customerId?: string } = {}): Envelope<'payment.charge'> {
  const orderId = overrides.orderId ?? randomUUID();
  return createMessage('payment.charge', { orderId, customerId: overrides.customerId ?? DEFAULT_CUSTOMER, cardToken, amount: { amount: overrides.amount ?? 4_999, currency: 'EUR' } }) as Envelope<'payment.charge'>;
}

export function buildRefundCommand(orderId: string, amount = 4_999): Envelope<'payment.refund'> {
  return createMessage('payment.refund', { orderId, amount: { amount, currency: 'EUR' }, reason: 'customer-request' }) as Envelope<'payment.refund'>;
}

/**
 * The Payment service as a test sees it: its own database, a random messaging prefix, a clock the test
 * sets, every log line captured, and a subscriber that records every payment event the service publishes.
 */
export class PaymentServiceTestKit {
  /** The service clock; tests move it to expire cards. */
  now = new Date('2030-06-15T12:00:00Z');
  /** Every log line the service wrote, at trace level. */
  readonly logLines: string[] = [];
  readonly received: Message[] = [];
  readonly rabbit = new RabbitTestKit();
  db!: PaymentDatabase;
  service!: PaymentService;
  private databases!: TestDatabases;
  private publisher!: Publisher;
  private events!: Consumer;
  private commandsSent = 0;

  static async start(): Promise<PaymentServiceTestKit> {
    const kit = new PaymentServiceTestKit();
    kit.databases = await createTestDatabases(['payment']);
    kit.db = createPaymentDatabase(kit.databases.config);
    const connection = await kit.rabbit.connect();
    kit.publisher = await kit.rabbit.publisher(connection);
    const record = async (message: Message) => void kit.received.push(message);
    kit.events = await kit.rabbit.consumer(connection, {
      source: { kind: 'events', subscriber: 'payment-test', eventTypes: paymentEventTypes },
      handlers: Object.fromEntries(paymentEventTypes.map((type) => [type, record])),
    });
    const logger = pino({ level: 'trace' }, { write: (line: string) => void kit.logLines.push(line) });
    kit.service = await startPaymentService({
      port: 0,
      database: kit.databases.config,
      messaging: { url: rabbitUrl, prefix: kit.rabbit.names.prefix },
      logger,
      clock: () => kit.now,
      retryDelayMs: 50,
      opsTokens: testOpsTokens,
    });
    return kit;
  }

  /** `as`: the customer whose token is sent (the default customer unless given), or null for none. */
  async request(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; as?: string | null } = {}) {
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const as = options.as === undefined ? DEFAULT_CUSTOMER : options.as;
    const authorization = as === null ? {} : await authorizationFor(as);
    const response = await fetch(`http://127.0.0.1:${this.service.port}${path}`, { method, headers: { 'content-type': 'application/json', ...authorization, ...options.headers }, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  }

  /** Tokenizes a card and returns its token. */
  async tokenize(overrides: Record<string, unknown> = {}, as: string = DEFAULT_CUSTOMER): Promise<string> {
    const response = await this.request('POST', '/cards', { body: buildCard(overrides), as });
    if (response.status !== 201) throw new Error(`Expected 201 from POST /cards, but got ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body!.cardToken as string;
  }

  /** `GET /payments` as ops do, with the ops token. */
  async payments(orderId: string): Promise<Record<string, unknown>[]> {
    return (await this.request('GET', `/payments?orderId=${orderId}`, { as: null, headers: opsAuthorization() })).body!.items as Record<string, unknown>[];
  }

  /** Sends commands to the Payment queue and waits until the service acked them (handled or skipped). */
  async send(...commands: Message[]): Promise<void> {
    for (const command of commands) await this.publisher.publish(command);
    this.commandsSent += commands.length;
    await this.service.commandConsumer.waitFor('ack', this.commandsSent);
  }

  /** Resolves with the first `count` events of `type` for the order once the subscriber has them. */
  async eventsOf<T extends EventType>(orderId: string, type: T, count = 1, timeoutMs = 10_000): Promise<Envelope<T>[]> {
    const matching = () => this.received.filter((message) => message.correlationId === orderId && message.type === type) as Envelope<T>[];
    if (matching().length >= count) return matching().slice(0, count);
    return new Promise((resolve, reject) => {
      const onAck = () => {
        if (matching().length < count) return;
        cleanUp();
        resolve(matching().slice(0, count));
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`Expected ${count} ${type} for order ${orderId} within ${timeoutMs} ms, but received ${matching().length}`));
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        this.events.off('ack', onAck);
      };
      this.events.on('ack', onAck);
    });
  }

  async eventOf<T extends EventType>(orderId: string, type: T): Promise<Envelope<T>> {
    return (await this.eventsOf(orderId, type, 1))[0]!;
  }

  /** The events the service committed for the order (its outbox): what it published or will publish. */
  async outboxTypesOf(orderId: string): Promise<string[]> {
    const rows = await this.db.outboxMessage.findMany({ where: { correlationId: orderId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map((row) => row.type);
  }

  async stop(): Promise<void> {
    await this.service?.close();
    await this.rabbit.cleanUp();
    await this.db?.$disconnect();
    await this.databases?.drop();
  }
}
