import { createTestDatabases, type TestDatabases } from '../../../lib/database/test-databases.js';
import { createMessage, type Message, type ShippingAddress } from '../../../infra/messaging/index.js';
import { createShippingDatabase, type ShippingDatabase } from '../../../services/shipping/data-access/shipping-database.js';
import { startShippingService, type ShippingService } from '../../../services/shipping/shipping-service.js';
import { opsAuthorization, testOpsTokens } from '../../support/ops-token.js';
import { MessagingTestKit, testLogger } from '../inventory/support/messaging-test-kit.js';

/** The Shipping service on an ephemeral port with its own database, messaging prefix and the test ops tokens. */
export class ShippingTestKit {
  db!: ShippingDatabase;
  service!: ShippingService;
  messaging!: MessagingTestKit;
  private databases!: TestDatabases;
  private handled = 0;

  static async start(): Promise<ShippingTestKit> {
    const kit = new ShippingTestKit();
    kit.databases = await createTestDatabases(['shipping']);
    kit.db = createShippingDatabase(kit.databases.config);
    kit.messaging = await MessagingTestKit.start(['shipping.shipped', 'shipping.rejected']);
    kit.service = await startShippingService({ port: 0, database: kit.databases.config, messaging: kit.messaging.messaging, logger: testLogger, retryDelayMs: 50, opsTokens: testOpsTokens });
    return kit;
  }

  /** `authorization`: the header sent (the ops token's unless given), or null for none. */
  async get(path: string, authorization: string | null = opsAuthorization().Authorization!) {
    const response = await fetch(`http://127.0.0.1:${this.service.port}${path}`, { headers: authorization === null ? {} : { Authorization: authorization } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  }

  /** Sends commands as the ship-goods worker does and waits until the service has acked them. */
  async deliver(...commands: Message<'shipping.ship'>[]): Promise<void> {
    await this.messaging.send(...commands);
    this.handled += commands.length;
    await this.service.commandConsumer.waitFor('ack', this.handled);
  }

  async stop(): Promise<void> {
    await this.service?.close();
    await this.messaging?.stop();
    await this.db?.$disconnect();
    await this.databases?.drop();
  }
}

export function buildAddress(overrides: Partial<ShippingAddress> = {}): ShippingAddress {
  return { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB', ...overrides };
}

export const shipCommand = (orderId: string, shippingAddress: ShippingAddress = buildAddress()) =>
  createMessage('shipping.ship', { orderId, items: [{ sku: 'SKU-MUG', quantity: 1 }], shippingAddress });
