import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { Header } from './message-properties.js';

/** Why a message left its queue for the dead-letter queue; the code is in the headers for ops and tests. */
export const DeadLetterCode = {
  BAD_JSON: 'BAD_JSON',
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  SCHEMA_MISMATCH: 'SCHEMA_MISMATCH',
  CARD_NUMBER: 'CARD_NUMBER',
  OVERSIZED: 'OVERSIZED',
  NO_HANDLER: 'NO_HANDLER',
  HANDLER_FAILED: 'HANDLER_FAILED',
} as const;
export type DeadLetterCode = (typeof DeadLetterCode)[keyof typeof DeadLetterCode];

export interface DeadLetterReason {
  code: DeadLetterCode;
  reason: string;
}

const maxReasonLength = 1_000;

export function deliveryCountOf(delivery: ConsumeMessage): number {
  const count = Number(delivery.properties.headers?.[Header.DELIVERY_COUNT]);
  return Number.isInteger(count) && count > 0 ? count : 1;
}

/** Resolves when the broker confirmed a republish; only then may the original be acked without loss. */
function republish(channel: ConfirmChannel, exchange: string, routingKey: string, delivery: ConsumeMessage, headers: Record<string, unknown>): Promise<void> {
  const { properties } = delivery;
  return new Promise((resolve, reject) => {
    channel.publish(
      exchange,
      routingKey,
      delivery.content,
      {
        persistent: true,
        contentType: properties.contentType,
        contentEncoding: properties.contentEncoding,
        messageId: properties.messageId,
        correlationId: properties.correlationId,
        type: properties.type,
        timestamp: properties.timestamp,
        headers: { ...properties.headers, ...headers },
      },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}

/** Copies the delivery, untouched, to the dead-letter exchange with the reason in its headers. */
export function sendToDeadLetter(channel: ConfirmChannel, deadLetterExchange: string, queue: string, delivery: ConsumeMessage, why: DeadLetterReason): Promise<void> {
  return republish(channel, deadLetterExchange, queue, delivery, {
    [Header.DEAD_LETTER_CODE]: why.code,
    [Header.DEAD_LETTER_REASON]: why.reason.slice(0, maxReasonLength),
    [Header.DEAD_LETTER_QUEUE]: queue,
    [Header.DEAD_LETTERED_AT]: new Date().toISOString(),
  });
}

/** Parks the delivery in the retry queue; its TTL sends it back to the main queue with the count raised. */
export function sendToRetry(channel: ConfirmChannel, retryQueue: string, delivery: ConsumeMessage): Promise<void> {
  return republish(channel, '', retryQueue, delivery, { [Header.DELIVERY_COUNT]: deliveryCountOf(delivery) + 1 });
}
