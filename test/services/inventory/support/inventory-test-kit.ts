import { createTestDatabases, type TestDatabases } from '../../../../lib/database/test-databases.js';
import { createMessage, type Message, type OrderItem } from '../../../../infra/messaging/index.js';
import { createInventoryDatabase, type InventoryDatabase } from '../../../../services/inventory/data-access/inventory-database.js';
import { startInventoryService, type InventoryService } from '../../../../services/inventory/inventory-service.js';
import { opsAuthorization, testOpsTokens } from '../../../support/ops-token.js';
import { MessagingTestKit, testLogger } from './messaging-test-kit.js';

export const SEED_QUANTITY = 50;

/** The Inventory service on an ephemeral port with its own database, messaging prefix and the test ops tokens. */
export class InventoryTestKit {
  db!: InventoryDatabase;
  service!: InventoryService;
  messaging!: MessagingTestKit;
  private databases!: TestDatabases;
  private handled = 0;

  static async start(): Promise<InventoryTestKit> {
    const kit = new InventoryTestKit();
    kit.databases = await createTestDatabases(['inventory']);
    kit.db = createInventoryDatabase(kit.databases.config);
    kit.messaging = await MessagingTestKit.start(['inventory.reserved', 'inventory.out-of-stock', 'inventory.released']);
    kit.service = await startInventoryService({ port: 0, database: kit.databases.config, messaging: kit.messaging.messaging, logger: testLogger, seedQuantity: SEED_QUANTITY, retryDelayMs: 50, opsTokens: testOpsTokens });
    return kit;
  }

  /** `authorization`: the header sent (the ops token's unless given), or null for none. */
  async request(method: string, path: string, options: { body?: unknown; rawBody?: string; authorization?: string | null } = {}) {
    const authorization = options.authorization === undefined ? opsAuthorization() : options.authorization === null ? {} : { Authorization: options.authorization };
    const response = await fetch(`http://127.0.0.1:${this.service.port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...authorization },
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  }

  async setStock(sku: string, quantity: number): Promise<void> {
    await this.db.stockItem.upsert({ where: { sku }, create: { sku, available: quantity }, update: { available: quantity } });
  }

  async available(sku: string): Promise<number> {
    return (await this.db.stockItem.findUniqueOrThrow({ where: { sku } })).available;
  }

  /** Units of `sku` held (picked) for every order, or for one. */
  async picked(sku: string, orderId?: string): Promise<number> {
    const { _sum } = await this.db.reservation.aggregate({ where: { sku, status: 'picked', ...(orderId ? { orderId } : {}) }, _sum: { quantity: true } });
    return _sum.quantity ?? 0;
  }

  /** Sends commands as the workers do and waits until the service has acked them (handled or skipped as duplicates). */
  async deliver(...commands: Message<'inventory.reserve' | 'inventory.release'>[]): Promise<void> {
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

export const reserveCommand = (orderId: string, items: OrderItem[]) => createMessage('inventory.reserve', { orderId, items });
export const releaseCommand = (orderId: string, items: OrderItem[]) => createMessage('inventory.release', { orderId, items });
