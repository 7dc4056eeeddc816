/**
 * A copy of every message sent through the run's command and event exchanges, taken by queues of
 * the test's own, so what the services and workers publish can be inspected without taking it away
 * from them.
 */
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { commandTypes, type TopologyNames } from '../../infra/messaging/index.js';

export interface CapturedMessage {
  exchange: string;
  routingKey: string;
  /** The body as sent, and the AMQP properties (headers included) as JSON. */
  content: string;
  properties: string;
}

export class MessageCapture {
  readonly messages: CapturedMessage[] = [];

  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: Channel,
  ) {}

  /** Binds exclusive queues to both exchanges: every event (`#`) and every command type. */
  static async start(url: string, names: TopologyNames): Promise<MessageCapture> {
    const model = await amqp.connect(url);
    const channel = await model.createChannel();
    const capture = new MessageCapture(model, channel);
    await channel.assertExchange(names.eventsExchange, 'topic', { durable: true });
    await channel.assertExchange(names.commandsExchange, 'direct', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, names.eventsExchange, '#');
    for (const type of commandTypes) await channel.bindQueue(queue, names.commandsExchange, type);
    await channel.consume(queue, (message) => {
      if (!message) return;
      capture.messages.push({
        exchange: message.fields.exchange,
        routingKey: message.fields.routingKey,
        content: message.content.toString(),
        properties: JSON.stringify(message.properties),
      });
    }, { noAck: true });
    return capture;
  }

  async stop(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.model.close();
  }
}
