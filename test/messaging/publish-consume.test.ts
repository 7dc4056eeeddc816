import { describe, expect, it } from 'vitest';
import { InvalidMessageError, MessagingErrorCode, PublishError, type Message } from '../../infra/messaging/index.js';
import { buildChargeCommand, buildChargeCommands, buildChargedEvent } from './support/message-factories.js';
import { useRabbitTestKit } from './support/rabbit-test-kit.js';

describe('publishing and consuming', () => {
  const kit = useRabbitTestKit();

  it('When a command is published and confirmed, then the owning service consumes it intact', async () => {
    const connection = await kit().connect();
    const received: Message[] = [];
    const consumer = await kit().consumer(connection, { source: { kind: 'commands', service: 'payment' }, handlers: { 'payment.charge': async (message) => void received.push(message) } });
    const publisher = await kit().publisher(connection);
    const command = buildChargeCommand();

    await publisher.publish(command);
    await consumer.waitFor('ack', 1);

    expect(received).toEqual([command]);
  });

  it('When an event is published, then every subscriber bound to its type receives it', async () => {
    const connection = await kit().connect();
    const handled: string[] = [];
    const subscribers = await Promise.all(
      ['order-projection', 'message-bridge'].map((subscriber) =>
        kit().consumer(connection, { source: { kind: 'events', subscriber, eventTypes: ['payment.charged'] }, handlers: { 'payment.charged': async () => void handled.push(subscriber) } }),
      ),
    );
    const publisher = await kit().publisher(connection);

    await publisher.publish(buildChargedEvent());
    await Promise.all(subscribers.map((subscriber) => subscriber.waitFor('ack', 1)));

    expect(handled.sort()).toEqual(['message-bridge', 'order-projection']);
  });

  it('When a command is published before its service ever started, then it waits in the queue until the service consumes it', async () => {
    const connection = await kit().connect();
    const publisher = await kit().publisher(connection);
    const command = buildChargeCommand();
    await publisher.publish(command);

    const received: string[] = [];
    const consumer = await kit().consumer(connection, { source: { kind: 'commands', service: 'payment' }, handlers: { 'payment.charge': async (message) => void received.push(message.id) } });
    await consumer.waitFor('ack', 1);

    expect(received).toEqual([command.id]);
  });

  it('When many messages are published at once, then all are confirmed and consumed', async () => {
    const connection = await kit().connect();
    const received = new Set<string>();
    const consumer = await kit().consumer(connection, { source: { kind: 'commands', service: 'payment' }, prefetch: 50, handlers: { 'payment.charge': async (message) => void received.add(message.id) } });
    const publisher = await kit().publisher(connection);
    const commands = buildChargeCommands(2_000);

    await publisher.publishAll(commands);
    await consumer.waitFor('ack', commands.length, 20_000);

    expect(received).toEqual(new Set(commands.map((command) => command.id)));
  });

  it('When a message breaks its schema, then publish is refused with a typed error and nothing reaches the queue', async () => {
    const connection = await kit().connect();
    const publisher = await kit().publisher(connection);
    const invalid = buildChargeCommand({ amount: { amount: 49.99, currency: 'EUR' } });

    const refusal = await publisher.publish(invalid).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(InvalidMessageError);
    expect(refusal).toMatchObject({ code: MessagingErrorCode.INVALID_MESSAGE, context: { messageId: invalid.id, violation: 'SCHEMA_MISMATCH' } });
    expect(await kit().messageCount(`${kit().names.prefix}.payment.commands`)).toBe(0);
  });

  it('When a message carries a card number, then publish is refused before it leaves', async () => {
    const connection = await kit().connect();
    const publisher = await kit().publisher(connection);
    const leaking = buildChargeCommand({ customerId: '4242424242424242' });

    await expect(publisher.publish(leaking)).rejects.toMatchObject({ code: MessagingErrorCode.INVALID_MESSAGE, context: { violation: 'CARD_NUMBER' } });
  });

  it('When a message exceeds the size limit, then publish is refused with MESSAGE_TOO_LARGE', async () => {
    const connection = await kit().connect();
    const publisher = await kit().publisher(connection, { maxMessageBytes: 200 });

    await expect(publisher.publish(buildChargeCommand())).rejects.toMatchObject({ code: MessagingErrorCode.MESSAGE_TOO_LARGE });
  });

  it('When a command reaches no queue, then publish fails with PUBLISH_UNROUTABLE instead of losing it silently', async () => {
    const connection = await kit().connect();
    const publisher = await kit().publisher(connection);
    await (await kit().rawChannel()).unbindQueue(`${kit().names.prefix}.payment.commands`, kit().names.commandsExchange, 'payment.charge');

    const failure = await publisher.publish(buildChargeCommand()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PublishError);
    expect(failure).toMatchObject({ code: MessagingErrorCode.PUBLISH_UNROUTABLE });
  });
});
