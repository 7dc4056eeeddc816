/**
 * The deploy command's own settings, read once from the environment and overridden by its flags.
 * The Zeebe connection is not here: `@camunda8/sdk` reads its own variables (ZEEBE_GRPC_ADDRESS,
 * CAMUNDA_AUTH_STRATEGY, ZEEBE_CLIENT_ID, …; see workers/zeebe-client.ts).
 */
import { z } from 'zod';
import { DeployUsageError } from './errors.js';

/** The target that means the local embedded engine; any other name means a cluster set up through the SDK's variables. */
export const EMBEDDED_TARGET = 'embedded';

/** Where the embedded engine serves Camunda 8.8's REST API when nothing else is said. */
export const EMBEDDED_REST_ADDRESS = 'http://127.0.0.1:8080';

const camundaVersion = z.string().regex(/^\d+\.\d+$/, 'Expected a Camunda version like 8.8');

const environmentSchema = z.object({
  ORDERFLOW_CAMUNDA_VERSION: camundaVersion.default('8.8'),
  ORDERFLOW_DEPLOY_TARGET: z.string().regex(/^[\w.-]+$/, 'Expected a target name of letters, digits, dots or dashes').default(EMBEDDED_TARGET),
  CAMUNDA_REST_ADDRESS: z.url({ error: 'Expected an http(s) URL' }).optional(),
  ORDERFLOW_OPS_TOKEN: z.string().min(1).optional(),
  ORDERFLOW_DEPLOY_REST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

export interface DeployConfig {
  /** The Camunda version the models must run on; picks bpmnlint's camunda-compat rule set. */
  camundaVersion: string;
  /** `embedded`, or the name of a cluster configured through the SDK's environment variables. */
  target: string;
  /** Camunda 8.8's REST API, where the last deployed version is read; undefined when the target has none configured. */
  restAddress: string | undefined;
  /** Bearer token for the embedded engine's REST API. */
  opsToken: string | undefined;
  /** How long the last deployed version may take to read before the command goes on without it. */
  restTimeoutMs: number;
}

export interface DeployFlags {
  camundaVersion?: string;
  target?: string;
}

/**
 * Reads the environment and applies the flags, which win.
 * @throws DeployUsageError naming each unusable variable or flag.
 */
export function loadDeployConfig(flags: DeployFlags = {}, env: NodeJS.ProcessEnv = process.env): DeployConfig {
  const relevant = Object.fromEntries(Object.keys(environmentSchema.shape).map((name) => [name, env[name]]).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new DeployUsageError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const versionFlag = flags.camundaVersion === undefined ? undefined : camundaVersion.safeParse(flags.camundaVersion);
  if (versionFlag && !versionFlag.success) throw new DeployUsageError(`--camunda-version: Expected a Camunda version like 8.8, but got '${flags.camundaVersion}'`);
  const target = flags.target ?? parsed.data.ORDERFLOW_DEPLOY_TARGET;
  if (!/^[\w.-]+$/.test(target)) throw new DeployUsageError(`--target: Expected 'embedded' or a name of letters, digits, dots or dashes, but got '${target}'`);
  return {
    camundaVersion: versionFlag?.data ?? parsed.data.ORDERFLOW_CAMUNDA_VERSION,
    target,
    restAddress: parsed.data.CAMUNDA_REST_ADDRESS ?? (target === EMBEDDED_TARGET ? EMBEDDED_REST_ADDRESS : undefined),
    opsToken: parsed.data.ORDERFLOW_OPS_TOKEN,
    restTimeoutMs: parsed.data.ORDERFLOW_DEPLOY_REST_TIMEOUT_MS,
  };
}
