import type { Options } from 'amqplib';
import type { Message } from './contract/index.js';

/** Headers the wrapper sets; the `x-orderflow-` prefix keeps them apart from RabbitMQ's own `x-death`. */
export const Header = {
  DELIVERY_COUNT: 'x-orderflow-delivery-count',
  DEAD_LETTER_CODE: 'x-orderflow-dead-letter-code',
  DEAD_LETTER_REASON: 'x-orderflow-dead-letter-reason',
  DEAD_LETTER_QUEUE: 'x-orderflow-dead-letter-queue',
  DEAD_LETTERED_AT: 'x-orderflow-dead-lettered-at',
  CAUSATION_ID: 'x-orderflow-causation-id',
} as const;

/** 256 KiB: far above any Orderflow message, far below what would slow RabbitMQ down. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

/** AMQP properties mirror the envelope so tools that never parse the body (tracing, the management UI) still see ids. */
export function publishProperties(message: Message): Options.Publish {
  const headers: Record<string, unknown> = { [Header.DELIVERY_COUNT]: 1 };
  if (message.causationId !== undefined) headers[Header.CAUSATION_ID] = message.causationId;
  return {
    persistent: true,
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    messageId: message.id,
    correlationId: message.correlationId,
    type: message.type,
    timestamp: Math.floor(Date.parse(message.occurredAt) / 1000),
    headers,
  };
}
