/**
 * The deploy command's failures. Each carries what an engineer needs to act on it; the command turns
 * them into a message and an exit code (see exit-codes.ts).
 */

/** Thrown when the command line or the environment cannot be used as given. */
export class DeployUsageError extends Error {
  override readonly name = 'DeployUsageError';
  readonly code = 'DEPLOY_USAGE';
}

/** Thrown when the Zeebe gateway cannot be reached at the configured address. */
export class GatewayUnreachableError extends Error {
  override readonly name = 'GatewayUnreachableError';
  readonly code = 'GATEWAY_UNREACHABLE';
  constructor(readonly address: string, options?: { cause?: unknown }) {
    super(`Expected a Zeebe gateway at ${address}, but none answered`, options);
  }
}

/** Thrown when the gateway answered and refused the deployment (the reason is Zeebe's own text). */
export class DeploymentRejectedError extends Error {
  override readonly name = 'DeploymentRejectedError';
  readonly code = 'DEPLOYMENT_REJECTED';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`Expected the gateway to accept the deployment, but it refused it: ${reason}`, options);
  }
}
