import type { RejectionType } from '../engine-api.js';
import type { ValueType } from '../core/records.js';

/** A request for a change, from a client or written as a follow-up by a processor. */
export interface Command<V = any> {
  key: number;
  valueType: ValueType;
  intent: string;
  value: V;
  /** Engine-internal details that are not part of the record value (never logged). */
  meta?: Record<string, unknown>;
}

/** The outcome a client receives for its command. */
export type CommandResponse =
  | { accepted: true; key: number; value: unknown }
  | { accepted: false; rejectionType: RejectionType; reason: string };

/** A failure to continue an element (an expression, a missing catch): becomes an incident. */
export interface Failure {
  errorType: string;
  message: string;
}

export const ErrorType = {
  JOB_NO_RETRIES: 'JOB_NO_RETRIES',
  EXTRACT_VALUE_ERROR: 'EXTRACT_VALUE_ERROR',
  CONDITION_ERROR: 'CONDITION_ERROR',
  IO_MAPPING_ERROR: 'IO_MAPPING_ERROR',
  CALLED_ELEMENT_ERROR: 'CALLED_ELEMENT_ERROR',
  CALLED_DECISION_ERROR: 'CALLED_DECISION_ERROR',
  DECISION_EVALUATION_ERROR: 'DECISION_EVALUATION_ERROR',
  UNHANDLED_ERROR_EVENT: 'UNHANDLED_ERROR_EVENT',
  MESSAGE_SIZE_EXCEEDED: 'MESSAGE_SIZE_EXCEEDED',
  UNKNOWN: 'UNKNOWN',
} as const;
