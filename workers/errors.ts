/** Codes of the failures a job worker reports to the engine; `retryable` says whether the job gets another try. */
export const JobFailureCode = {
  INVALID_VARIABLES: 'INVALID_VARIABLES',
  INVALID_COMMAND: 'INVALID_COMMAND',
  PUBLISH_FAILED: 'PUBLISH_FAILED',
} as const;
export type JobFailureCode = (typeof JobFailureCode)[keyof typeof JobFailureCode];

/**
 * Thrown while building a command from a job when the job cannot ever succeed as it is (its variables break
 * the contract). The worker fails the job with no retries left, so Zeebe raises an incident an operator can fix.
 */
export class InvalidJobError extends Error {
  override readonly name = 'InvalidJobError';
  readonly retryable = false;

  constructor(
    readonly code: JobFailureCode,
    message: string,
    readonly context: Record<string, unknown> = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
