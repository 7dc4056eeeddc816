import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import amqp from 'amqplib';
import { pino, type Logger } from 'pino';
import {
  Consumer,
  Publisher,
  RabbitConnection,
  commandServices,
  deleteTopology,
  resolveConsumerQueue,
  topologyNames,
  type CommandType,
  type ConsumerQueue,
  type EventType,
  type Message,
  type MessageHandlers,
  type TopologyNames,
} from '../../../../infra/messaging/index.js';

export const rabbitUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const testLogger: Logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/**
 * A service's view of the broker in a test: a random prefix, a publisher for commands as the workers
 * send them, and a spy queue that records the events the service publishes, so tests await them.
 */
export class MessagingTestKit {
  readonly names: TopologyNames = topologyNames(`test-${randomBytes(4).toString('hex')}.orderflow`);
  private readonly received: Message[] = [];
  private readonly arrivals = new EventEmitter();
  private connection!: RabbitConnection;
  private publisher!: Publisher;
  private spy!: Consumer;

  static async start(eventTypes: readonly EventType[]): Promise<MessagingTestKit> {
    const kit = new MessagingTestKit();
    kit.connection = await RabbitConnection.connect({ url: rabbitUrl, logger: testLogger, connectionName: `${kit.names.prefix}-test` });
    kit.publisher = await Publisher.create({ connection: kit.connection, logger: testLogger, names: kit.names });
    const record = async (message: Message) => {
      kit.received.push(message);
      kit.arrivals.emit('message');
    };
    const handlers = Object.fromEntries(eventTypes.map((type) => [type, record])) as MessageHandlers;
    kit.spy = await Consumer.start({ connection: kit.connection, logger: testLogger, names: kit.names, source: { kind: 'events', subscriber: 'test-spy', eventTypes }, handlers });
    return kit;
  }

  get messaging() {
    return { url: rabbitUrl, prefix: this.names.prefix };
  }

  send(...commands: Message<CommandType>[]): Promise<void> {
    return this.publisher.publishAll(commands);
  }

  /** Every event received so far for the order, in arrival order. */
  eventsOf(orderId: string): Message[] {
    return this.received.filter((message) => message.correlationId === orderId);
  }

  /** Resolves with the order's events once `count` have arrived; rejects after `timeoutMs`. */
  waitForEvents(orderId: string, count = 1, timeoutMs = 10_000): Promise<Message[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.eventsOf(orderId).length < count) return;
        clearTimeout(timer);
        this.arrivals.off('message', check);
        resolve(this.eventsOf(orderId));
      };
      const timer = setTimeout(() => {
        this.arrivals.off('message', check);
        reject(new Error(`Expected ${count} events for order ${orderId} within ${timeoutMs} ms, but saw ${this.eventsOf(orderId).length}`));
      }, timeoutMs);
      this.arrivals.on('message', check);
      check();
    });
  }

  /** Closes the kit's connection and deletes every queue and exchange under its prefix. */
  async stop(): Promise<void> {
    await this.spy?.stop();
    await this.publisher?.close().catch(() => undefined);
    await this.connection?.close();
    const model = await amqp.connect(rabbitUrl);
    const channel = await model.createChannel();
    const queues: ConsumerQueue[] = [this.spy.queue, ...commandServices.map((service) => resolveConsumerQueue(this.names, { kind: 'commands', service }))];
    await deleteTopology(channel, this.names, queues);
    await model.close();
  }
}
