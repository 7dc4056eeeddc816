import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { isMessageType, messageCatalog, type Envelope, type Message, type MessageType } from './message-catalog.js';
import { findCardNumber } from './card-number-guard.js';

/** Why a message failed the contract; consumers put the code in the dead-letter headers. */
export const ContractViolation = {
  BAD_JSON: 'BAD_JSON',
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  SCHEMA_MISMATCH: 'SCHEMA_MISMATCH',
  CARD_NUMBER: 'CARD_NUMBER',
} as const;
export type ContractViolationCode = (typeof ContractViolation)[keyof typeof ContractViolation];

export type ValidationResult =
  | { ok: true; message: Message }
  | { ok: false; code: ContractViolationCode; reason: string; issues?: z.core.$ZodIssue[] };

/** Checks an already-parsed value against the envelope and the schema of its type. Never throws. */
export function validateMessage(value: unknown): ValidationResult {
  const type = (value as { type?: unknown } | null)?.type;
  if (!isMessageType(type)) {
    return { ok: false, code: ContractViolation.UNKNOWN_TYPE, reason: `Expected a known message type, but got ${JSON.stringify(type) ?? 'none'}` };
  }
  const result = messageCatalog.get(type)!.schema.safeParse(value);
  if (!result.success) {
    const summary = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    return { ok: false, code: ContractViolation.SCHEMA_MISMATCH, reason: `Expected a valid ${type}, but ${summary}`, issues: result.error.issues };
  }
  // Defence in depth: a card number must never reach the broker, whatever field it hides in.
  const cardNumberPath = findCardNumber(result.data);
  if (cardNumberPath !== undefined) {
    return { ok: false, code: ContractViolation.CARD_NUMBER, reason: `Expected no card number, but found one at ${cardNumberPath}` };
  }
  return { ok: true, message: result.data as Message };
}

/** Decodes a message body as received from the broker. Never throws. */
export function decodeMessage(body: Buffer): ValidationResult {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { ok: false, code: ContractViolation.BAD_JSON, reason: `Expected a JSON body, but ${(error as Error).message}` };
  }
  return validateMessage(value);
}

/** Builds a message with a fresh id and timestamp; correlationId is taken from payload.orderId. */
export function createMessage<T extends MessageType>(
  type: T,
  payload: Envelope<T>['payload'],
  options: { causationId?: string; id?: string; occurredAt?: Date } = {},
): Message<T> {
  const message: Envelope<T> = {
    id: options.id ?? randomUUID(),
    type,
    correlationId: (payload as { orderId: string }).orderId,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    payload,
  };
  if (options.causationId !== undefined) message.causationId = options.causationId;
  return message as Message<T>;
}
