import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterCode, Header, type Consumer } from '../../infra/messaging/index.js';
import { buildChargeCommand } from './support/message-factories.js';
import { RabbitTestKit } from './support/rabbit-test-kit.js';

const maxMessageBytes = 4 * 1024;

const poisonCases = [
  { kind: 'bad JSON', body: () => '{"id": "not closed', code: DeadLetterCode.BAD_JSON },
  { kind: 'an unknown type', body: () => JSON.stringify({ ...buildChargeCommand(), type: 'payment.teleport' }), code: DeadLetterCode.UNKNOWN_TYPE },
  { kind: 'a payload failing its schema', body: () => JSON.stringify({ ...buildChargeCommand(), payload: { orderId: 'nope' } }), code: DeadLetterCode.SCHEMA_MISMATCH },
  { kind: 'an oversized body', body: () => JSON.stringify({ ...buildChargeCommand(), padding: 'x'.repeat(maxMessageBytes) }), code: DeadLetterCode.OVERSIZED },
];

describe('poison messages', () => {
  let kit: RabbitTestKit;
  let consumer: Consumer;
  let handled: string[];

  beforeEach(async () => {
    kit = new RabbitTestKit();
    handled = [];
    const connection = await kit.connect();
    consumer = await kit.consumer(connection, { source: { kind: 'commands', service: 'payment' }, maxMessageBytes, handlers: { 'payment.charge': async (message) => void handled.push(message.id) } });
  });
  afterEach(() => kit.cleanUp());

  it.each(poisonCases)('When a message has $kind, then it is dead-lettered with code $code and the reason in its headers', async ({ body, code }) => {
    const poison = body();
    await kit.injectRaw(consumer.queue.queue, poison, { messageId: 'poison-1' });

    await consumer.waitFor('dead-letter', 1);
    const [deadLettered] = await kit.drain(consumer.queue.deadLetterQueue);

    expect(deadLettered?.content.toString()).toBe(poison);
    expect(deadLettered?.properties.headers).toMatchObject({ [Header.DEAD_LETTER_CODE]: code, [Header.DEAD_LETTER_QUEUE]: consumer.queue.queue });
    expect(String(deadLettered?.properties.headers?.[Header.DEAD_LETTER_REASON])).toMatch(/^Expected /);
  });

  it.each(poisonCases)('When a message has $kind, then the next good message is still handled', async ({ body }) => {
    const good = buildChargeCommand();
    await kit.injectRaw(consumer.queue.queue, body());
    await kit.injectRaw(consumer.queue.queue, JSON.stringify(good));

    await consumer.waitFor('ack', 1);

    expect(handled).toEqual([good.id]);
    expect(await kit.messageCount(consumer.queue.queue)).toBe(0);
  });

  it('When a valid message arrives that no handler on this queue handles, then it is dead-lettered with NO_HANDLER', async () => {
    const event = { ...buildChargeCommand(), type: 'payment.declined' };
    event.payload = { orderId: event.correlationId, reason: 'insufficient funds' } as never;
    await kit.injectRaw(consumer.queue.queue, JSON.stringify(event));

    const [deadLetter] = await consumer.waitFor('dead-letter', 1);

    expect(deadLetter).toMatchObject({ code: DeadLetterCode.NO_HANDLER });
  });
});
