/**
 * Base of Orderflow's typed errors outside the engine: `code` is stable for programs to branch on,
 * `context` names what was involved, `cause` keeps the error underneath.
 */
export class OrderflowError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
