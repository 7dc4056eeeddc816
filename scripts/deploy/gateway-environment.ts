/**
 * The SDK variables the deploy command sets before `@camunda8/sdk` is loaded: the SDK reads its
 * environment once, when its module is first imported, so these must be in place by then.
 */
import { EMBEDDED_TARGET } from './deploy-config.js';
import { DeployUsageError } from './errors.js';

/**
 * A command line wants an answer, not the SDK's endless reconnecting: a few retries, and the SDK's
 * own log kept out of the command's output. Variables already set win.
 */
const commandLineClientDefaults = {
  ZEEBE_GRPC_CLIENT_MAX_RETRIES: '2',
  ZEEBE_GRPC_CLIENT_MAX_RETRY_TIMEOUT_SECONDS: '1',
  ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
} as const;

/**
 * Fills in the command line's client defaults. A target other than `embedded` must name its gateway
 * and auth explicitly, so a missing variable never sends a deployment to the wrong engine.
 * @throws DeployUsageError when a named target lacks ZEEBE_GRPC_ADDRESS or CAMUNDA_AUTH_STRATEGY.
 */
export function prepareCommandLineEnvironment(target: string, env: NodeJS.ProcessEnv = process.env): void {
  if (target !== EMBEDDED_TARGET) {
    const missing = ['ZEEBE_GRPC_ADDRESS', 'CAMUNDA_AUTH_STRATEGY'].filter((name) => !env[name]);
    if (missing.length) throw new DeployUsageError(`Expected ${missing.join(' and ')} to be set for target '${target}', but ${missing.length > 1 ? 'they are' : 'it is'} not`);
  }
  for (const [name, value] of Object.entries(commandLineClientDefaults)) {
    if (!env[name]) env[name] = value;
  }
}
