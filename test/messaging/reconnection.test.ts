import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Consumer, Message, Publisher, RabbitConnection } from '../../infra/messaging/index.js';
import { buildChargeCommands } from './support/message-factories.js';
import { RabbitTestKit } from './support/rabbit-test-kit.js';

function disconnected(connection: RabbitConnection): Promise<void> {
  return new Promise((resolve) => connection.once('disconnected', () => resolve()));
}

describe('reconnection', () => {
  let kit: RabbitTestKit;
  let connection: RabbitConnection;
  let consumer: Consumer;
  let publisher: Publisher;
  let handled: Set<string>;

  beforeEach(async () => {
    kit = new RabbitTestKit();
    handled = new Set();
    connection = await kit.connect();
    consumer = await kit.consumer(connection, { source: { kind: 'commands', service: 'payment' }, handlers: { 'payment.charge': async (message) => void handled.add(message.id) } });
    publisher = await kit.publisher(connection);
  });
  afterEach(() => kit.cleanUp());

  it('When the broker closes the connection, then the consumer resubscribes and handles messages published afterwards', async () => {
    const lost = disconnected(connection);
    await kit.forceCloseConnection();
    await lost;
    await consumer.waitFor('reconnected', 1);
    const [command] = buildChargeCommands(1);

    await publisher.publish(command!);
    await consumer.waitFor('ack', 1);

    expect([...handled]).toEqual([command!.id]);
  });

  it('When messages are published while the connection is down, then they are confirmed after reconnection and all consumed', async () => {
    const lost = disconnected(connection);
    await kit.forceCloseConnection();
    await lost;
    const commands = buildChargeCommands(200);

    // Issued with no connection: these must wait for the reconnect rather than fail or vanish.
    await publisher.publishAll(commands);
    await consumer.waitFor('ack', commands.length, 20_000);

    expect(handled).toEqual(new Set(commands.map((command) => command.id)));
  });

  it('When the connection drops in the middle of a publishing stream, then nothing published is lost', async () => {
    const published: Message[] = [];
    let down = false;
    const lost = disconnected(connection).then(() => (down = true));
    // Publishes confirmed batches until the cut, then one more batch: some are in flight when it happens.
    const stream = (async () => {
      do {
        const batch = buildChargeCommands(100);
        published.push(...batch);
        await publisher.publishAll(batch);
      } while (!down);
    })();
    await kit.forceCloseConnection();
    await lost;

    await stream;
    // A message whose ack was lost with the connection is delivered again: at-least-once, so wait for every id.
    while (handled.size < published.length) await consumer.waitFor('ack', consumer.countOf('ack') + 1, 20_000);

    expect(handled).toEqual(new Set(published.map((command) => command.id)));
  });
});
