/** Codes for every failure the messaging wrapper reports; `retryable` says whether trying again can help. */
export const MessagingErrorCode = {
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  PUBLISH_NACKED: 'PUBLISH_NACKED',
  PUBLISH_UNROUTABLE: 'PUBLISH_UNROUTABLE',
  PUBLISH_TIMEOUT: 'PUBLISH_TIMEOUT',
  PUBLISH_BUFFER_FULL: 'PUBLISH_BUFFER_FULL',
  CLOSED: 'CLOSED',
} as const;
export type MessagingErrorCode = (typeof MessagingErrorCode)[keyof typeof MessagingErrorCode];

const retryableCodes: ReadonlySet<MessagingErrorCode> = new Set([
  MessagingErrorCode.PUBLISH_NACKED,
  MessagingErrorCode.PUBLISH_TIMEOUT,
  MessagingErrorCode.PUBLISH_BUFFER_FULL,
]);

/** Base class of every error thrown by infra/messaging. */
export class MessagingError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = new.target.name;
    this.retryable = retryableCodes.has(code);
  }
}

/** Thrown by `Publisher.publish` before anything is sent, when the message breaks the contract or the size limit. */
export class InvalidMessageError extends MessagingError {}

/** Thrown by `Publisher.publish` when the broker did not confirm the message (nack, unroutable, timeout, closed). */
export class PublishError extends MessagingError {}
