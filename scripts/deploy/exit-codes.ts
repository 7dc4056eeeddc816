/** What `npm run deploy` exits with; documented in its --help. */
export const ExitCode = {
  /** Linted, and deployed (or, with --dry-run / --lint-only, nothing more was asked). */
  OK: 0,
  /** At least one file has a lint error, is not parseable BPMN or is DMN the engine would refuse; nothing was deployed. */
  LINT_ERRORS: 1,
  /** The command line (a file neither .bpmn nor .dmn) or the environment cannot be used; nothing was done. */
  USAGE: 2,
  /** No Zeebe gateway answered at the configured address; nothing was deployed. */
  GATEWAY_UNREACHABLE: 3,
  /** The gateway refused the deployment (Zeebe's own validation); nothing was deployed. */
  DEPLOYMENT_REJECTED: 4,
  /** Anything else; the message says what. */
  UNEXPECTED: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
