/** Errors of the testing kit; each says what was expected and what was observed. */

/** Thrown by an assertion when its condition did not hold within the wait; `observed` is what it saw last. */
export class ProcessInstanceAssertionError extends Error {
  override readonly name = 'ProcessInstanceAssertionError';
  readonly code = 'PROCESS_INSTANCE_ASSERTION_FAILED';
  constructor(
    message: string,
    readonly context: { processInstanceKey: string; waitedMs: number; observed: string },
  ) {
    super(message);
  }
}

/** Thrown by `increaseTime` for a duration that is neither milliseconds nor an ISO 8601 duration. */
export class InvalidDurationError extends Error {
  override readonly name = 'InvalidDurationError';
  readonly code = 'INVALID_DURATION';
  constructor(readonly duration: string | number) {
    super(`Expected a non-negative number of milliseconds or an ISO 8601 duration such as 'P14D', but got '${duration}'`);
  }
}
