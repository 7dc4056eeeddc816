import { afterEach, beforeEach } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import pino, { type Logger } from 'pino';
import {
  Consumer,
  Publisher,
  RabbitConnection,
  deleteTopology,
  resolveConsumerQueue,
  topologyNames,
  commandServices,
  type ConsumerOptions,
  type TopologyNames,
} from '../../../infra/messaging/index.js';

const run = promisify(execFile);
export const rabbitUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Silent unless LOG_LEVEL is set, so a failing test can be rerun with the wrapper's logs. */
export const testLogger: Logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/**
 * One test's private corner of the broker: every exchange and queue carries a random prefix, and
 * `cleanUp` deletes them all and closes every connection the test opened.
 */
export class RabbitTestKit {
  readonly id = randomBytes(4).toString('hex');
  readonly names: TopologyNames = topologyNames(`test-${this.id}.orderflow`);
  readonly connectionName = `orderflow-test-${this.id}`;
  private readonly closers: (() => Promise<unknown>)[] = [];
  private readonly consumers: Consumer[] = [];
  private raw: { model: ChannelModel; channel: Channel } | undefined;

  async connect(): Promise<RabbitConnection> {
    const connection = await RabbitConnection.connect({ url: rabbitUrl, logger: testLogger, connectionName: this.connectionName, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    this.closers.push(() => connection.close());
    return connection;
  }

  async publisher(connection: RabbitConnection, options: { maxMessageBytes?: number } = {}): Promise<Publisher> {
    const publisher = await Publisher.create({ connection, logger: testLogger, names: this.names, ...options });
    this.closers.push(() => publisher.close());
    return publisher;
  }

  async consumer(connection: RabbitConnection, options: Omit<ConsumerOptions, 'connection' | 'logger' | 'names'>): Promise<Consumer> {
    const consumer = await Consumer.start({ connection, logger: testLogger, names: this.names, retryDelayMs: 20, ...options });
    this.consumers.push(consumer);
    this.closers.push(() => consumer.stop());
    return consumer;
  }

  /** A plain amqplib channel, outside the wrapper: for injecting poison and reading dead-letter queues. */
  async rawChannel(): Promise<Channel> {
    if (!this.raw) {
      const model = await amqp.connect(rabbitUrl);
      this.raw = { model, channel: await model.createChannel() };
    }
    return this.raw.channel;
  }

  /** Publishes raw bytes to a queue, bypassing the contract, as a buggy or hostile producer would. */
  async injectRaw(queue: string, body: Buffer | string, properties: amqp.Options.Publish = {}): Promise<void> {
    const channel = await this.rawChannel();
    channel.sendToQueue(queue, Buffer.isBuffer(body) ? body : Buffer.from(body), { persistent: true, ...properties });
  }

  /** Takes every message currently in a queue. */
  async drain(queue: string): Promise<GetMessage[]> {
    const channel = await this.rawChannel();
    const messages: GetMessage[] = [];
    for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) messages.push(message);
    return messages;
  }

  async messageCount(queue: string): Promise<number> {
    return (await (await this.rawChannel()).checkQueue(queue)).messageCount;
  }

  /** Closes this test's wrapper connection from the server side, as a broker restart or network cut would. */
  async forceCloseConnection(): Promise<void> {
    const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '--quiet', '--no-table-headers']);
    const pids = stdout.split('\n').filter((line) => line.includes(`"${this.connectionName}"`)).map((line) => line.split('\t')[0]!);
    if (pids.length === 0) throw new Error(`Expected a broker connection named ${this.connectionName}, but found none`);
    for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'test: forced close']);
  }

  async cleanUp(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    const channel = await this.rawChannel();
    const queues = [...this.consumers.map((consumer) => consumer.queue), ...commandServices.map((service) => resolveConsumerQueue(this.names, { kind: 'commands', service }))];
    await deleteTopology(channel, this.names, dedupe(queues));
    await this.raw?.model.close();
  }
}

function dedupe<T extends { queue: string }>(queues: T[]): T[] {
  return [...new Map(queues.map((queue) => [queue.queue, queue])).values()];
}

/** Gives each test in the enclosing describe its own kit, cleaned up after it: call `kit()` inside a test. */
export function useRabbitTestKit(): () => RabbitTestKit {
  let current: RabbitTestKit | undefined;
  beforeEach(() => {
    current = new RabbitTestKit();
  });
  afterEach(() => current?.cleanUp());
  return () => current!;
}
