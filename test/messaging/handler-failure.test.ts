import { describe, expect, it } from 'vitest';
import { DeadLetterCode, Header } from '../../infra/messaging/index.js';
import { buildChargeCommand } from './support/message-factories.js';
import { useRabbitTestKit } from './support/rabbit-test-kit.js';

describe('handler failures', () => {
  const kit = useRabbitTestKit();

  it('When a handler fails once, then the message is retried and acked on the next delivery', async () => {
    const connection = await kit().connect();
    const deliveryCounts: number[] = [];
    const consumer = await kit().consumer(connection, {
      source: { kind: 'commands', service: 'payment' },
      handlers: {
        'payment.charge': async (_message, { deliveryCount }) => {
          deliveryCounts.push(deliveryCount);
          if (deliveryCount === 1) throw new Error('database unavailable');
        },
      },
    });
    const publisher = await kit().publisher(connection);

    await publisher.publish(buildChargeCommand());
    await consumer.waitFor('ack', 1);

    expect(deliveryCounts).toEqual([1, 2]);
  });

  it('When a handler keeps failing, then the message is dead-lettered after maxDeliveries with the last error as reason', async () => {
    const connection = await kit().connect();
    const consumer = await kit().consumer(connection, {
      source: { kind: 'commands', service: 'payment' },
      maxDeliveries: 3,
      handlers: { 'payment.charge': async () => Promise.reject(new Error('card service down')) },
    });
    const publisher = await kit().publisher(connection);
    const command = buildChargeCommand();

    await publisher.publish(command);
    await consumer.waitFor('dead-letter', 1);
    const [deadLettered] = await kit().drain(consumer.queue.deadLetterQueue);

    expect(consumer.countOf('retry')).toBe(2);
    expect(deadLettered?.properties.messageId).toBe(command.id);
    expect(deadLettered?.properties.headers).toMatchObject({ [Header.DEAD_LETTER_CODE]: DeadLetterCode.HANDLER_FAILED, [Header.DELIVERY_COUNT]: 3 });
    expect(String(deadLettered?.properties.headers?.[Header.DEAD_LETTER_REASON])).toContain('card service down');
  });

  it('When a handler fails on one message, then the messages behind it are handled without waiting for its retries', async () => {
    const connection = await kit().connect();
    const failing = buildChargeCommand();
    const healthy = buildChargeCommand();
    const handled: string[] = [];
    const consumer = await kit().consumer(connection, {
      source: { kind: 'commands', service: 'payment' },
      prefetch: 1,
      maxDeliveries: 2,
      handlers: {
        'payment.charge': async (message) => {
          if (message.id === failing.id) throw new Error('boom');
          handled.push(message.id);
        },
      },
    });
    const publisher = await kit().publisher(connection);

    await publisher.publishAll([failing, healthy]);
    await consumer.waitFor('ack', 1);

    expect(handled).toEqual([healthy.id]);
    await consumer.waitFor('dead-letter', 1);
  });
});
