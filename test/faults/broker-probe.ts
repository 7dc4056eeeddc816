/**
 * The fault suite's view of RabbitMQ in the run's virtual host: queue depths from `rabbitmqctl`, the
 * messages parked in dead-letter queues (read and put back), and raw publishing for injected messages.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp, { type ChannelModel } from 'amqplib';
import { Header } from '../../infra/messaging/index.js';

const run = promisify(execFile);

export interface QueueDepth {
  name: string;
  ready: number;
  unacknowledged: number;
}

export interface DeadLetteredMessage {
  queue: string;
  messageId: string | undefined;
  code: string | undefined;
}

export const isDeadLetterQueue = (name: string) => name.endsWith('.dead-letter');

export class BrokerProbe {
  readonly vhost: string;

  constructor(readonly url: string) {
    this.vhost = decodeURIComponent(new URL(url).pathname.slice(1)) || '/';
  }

  connect(): Promise<ChannelModel> {
    return amqp.connect(this.url);
  }

  /** `rabbitmqctl list_queues name messages_ready messages_unacknowledged` for the run's virtual host. */
  async queueDepths(): Promise<QueueDepth[]> {
    const { stdout } = await run('rabbitmqctl', ['list_queues', '-p', this.vhost, 'name', 'messages_ready', 'messages_unacknowledged', '--formatter', 'json', '--quiet'], { timeout: 60_000 });
    const rows = JSON.parse(stdout) as { name: string; messages_ready: number; messages_unacknowledged: number }[];
    return rows.map((row) => ({ name: row.name, ready: row.messages_ready, unacknowledged: row.messages_unacknowledged })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Messages ready in one queue (not those delivered and unacked). */
  async readyCount(queue: string): Promise<number> {
    const connection = await this.connect();
    try {
      const channel = await connection.createChannel();
      return (await channel.checkQueue(queue)).messageCount;
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  /** Every message in the dead-letter queues; each is read without ack and returned to its queue when the channel closes. */
  async deadLettered(queues: readonly string[]): Promise<DeadLetteredMessage[]> {
    const connection = await this.connect();
    try {
      const channel = await connection.createChannel();
      const found: DeadLetteredMessage[] = [];
      for (const queue of queues.filter(isDeadLetterQueue)) {
        for (let message = await channel.get(queue, { noAck: false }); message; message = await channel.get(queue, { noAck: false })) {
          found.push({ queue, messageId: message.properties.messageId as string | undefined, code: message.properties.headers?.[Header.DEAD_LETTER_CODE] as string | undefined });
        }
      }
      await channel.close();
      return found;
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
}
