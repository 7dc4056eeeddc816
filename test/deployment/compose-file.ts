/**
 * Reads docker-compose.yml the way Docker Compose does, as far as the deployment tests need: YAML with
 * merge keys (`<<: *anchor`), then `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
 * `${VAR?error}` and `$$` interpolated in every string value from a given environment.
 * https://docs.docker.com/reference/compose-file/interpolation/
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string } | string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  restart?: string;
  volumes?: (string | { source?: string; target: string })[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** A port the service publishes: `hostIp` is undefined when it listens on every host interface. */
export interface PortMapping {
  hostIp?: string;
  published: number;
  target: number;
}

/** Thrown when a `${VAR:?message}` or `${VAR?message}` names a variable the environment does not set. */
export class MissingComposeVariableError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Expected ${variable} to be set, but it is not: ${detail}`);
  }
}

const placeholder = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_])/g;

/** Interpolates one string value as Compose does. @throws MissingComposeVariableError */
export function interpolate(value: string, env: Environment): string {
  return value.replace(placeholder, (match, name: string | undefined, operator: string | undefined, argument: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    if (bare !== undefined) throw new Error(`Expected \${VAR} with braces in docker-compose.yml, but found "${value}"`);
    const current = env[name!];
    const unset = operator?.startsWith(':') ? current === undefined || current === '' : current === undefined;
    if (operator === ':-' || operator === '-') return unset ? argument! : current!;
    if ((operator === ':?' || operator === '?') && unset) throw new MissingComposeVariableError(name!, argument!);
    return current ?? '';
  });
}

function interpolateAll(node: unknown, env: Environment): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, env));
  if (node !== null && typeof node === 'object') {
    // Keys are not interpolated, values are; extension fields (x-…) are kept only for their anchors.
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, interpolateAll(item, env)]));
  }
  return node;
}

/** The raw document, merge keys resolved, nothing interpolated. */
export function parseComposeText(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

/** @throws MissingComposeVariableError when a required variable is missing from `env`. */
export function loadComposeFile(path: string, env: Environment): ComposeFile {
  return interpolateAll(parseComposeText(readFileSync(path, 'utf8')), env) as ComposeFile;
}

/** Every variable the file requires with `${VAR:?…}` or `${VAR?…}`. */
export function requiredVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((match) => match[1]!))].sort();
}

/** A `KEY=value` file as Compose reads `.env`: comments and blank lines skipped, no quoting. */
export function readEnvFile(path: string): Record<string, string> {
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const separator = line.indexOf('=');
      return [line.slice(0, separator), line.slice(separator + 1)] as const;
    });
  return Object.fromEntries(entries);
}

/** The service's environment as the process sees it: every value a string. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]));
}

/** Short (`[host_ip:]published:target[/protocol]`) and long port syntax. */
export function portMappings(service: ComposeService): PortMapping[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return { hostIp: port.host_ip, published: Number(port.published ?? port.target), target: port.target };
    const parts = String(port).replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts.at(-1));
    if (parts.length === 1) return { published: target, target };
    return { hostIp: parts.length === 3 ? parts[0] : undefined, published: Number(parts.at(-2)), target };
  });
}

/** `depends_on` as service → condition (`service_started` for the short list form). */
export function dependenciesOf(service: ComposeService): Record<string, string> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, { condition }]) => [name, condition ?? 'service_started']));
}
