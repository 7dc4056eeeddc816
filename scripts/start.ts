/**
 * `npm start`: the whole of Orderflow on embedded defaults. Checks PostgreSQL and RabbitMQ, migrates the
 * databases, starts the engine, the services whose main.ts exists and the workers as child processes with
 * prefixed output, waits until each serves, and prints the URLs. Ctrl-C (or SIGTERM) stops the children in
 * reverse order: SIGTERM, then SIGKILL after a bound. `ZEEBE_CLOCK_CONTROLLED=true` reaches the engine.
 * The ops page runs in front of the engine's REST API; its token (`ORDERFLOW_OPS_TOKEN`), which also opens
 * the services' operator endpoints, is generated and printed when unset.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { migrateAll } from '../lib/database/index.js';
import { deployCheckoutProcess } from '../services/order/checkout-process/checkout-process-client.js';
import { createZeebeClientFromEnvironment } from '../workers/zeebe-client.js';
import { ManagedChild } from './start/child-process.js';
import { type CompiledTree, CompiledTreeError, compiledTree } from './start/compiled-tree.js';
import { checkPostgres, checkRabbit, portsInUse, type PlannedPort } from './start/preflight.js';
import { httpOk, portOpen, waitUntil } from './start/readiness.js';
import { checkoutBrowserEnvironment, loadStartConfig, startableServices, type StartConfig, type StartableService } from './start/start-config.js';
import { onStopRequest } from '../lib/process/stop-requests.js';
import { projectRoot } from '../lib/project/project-root.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const children: ManagedChild[] = [];
let stopping: Promise<void> | undefined;
let tree: CompiledTree | undefined;

async function main(): Promise<void> {
  const config = loadStartConfig();
  // A repeated signal while stopping is ignored (`shutdown` runs once): dying mid-stop would leave
  // the children, in process groups of their own, running.
  // Its own deadline covers stopping every child in turn, each within its grace, and one grace more.
  const childCount = startableServices.length + STARTED_BESIDE_SERVICES.length;
  onStopRequest((signal) => void shutdown(config, 0, signal), config.stopGraceMs * (childCount + 1));
  process.on('exit', () => children.forEach((child) => child.kill()));

  await preflight(config);
  tree = await compiledTree();
  say('Migrating databases…');
  await migrateAll({ config: config.database, logger: pino({ name: 'db:migrate', level: 'info' }, pino.destination(1)) });

  const engineHost = config.engine.host;
  // Every child gets the ops token, and ORDERFLOW_OPS_READ_TOKEN when set (it is in process.env): the
  // engine's REST API and the services' operator endpoints check them.
  const env = { ...childEnvironment(config), ORDERFLOW_OPS_TOKEN: process.env.ORDERFLOW_OPS_TOKEN || generatedOpsToken };
  const engine = launch('engine', 'infra/engine/main.ts', { ...env, ORDERFLOW_ENGINE_REST_PORT: String(config.engine.restPort) });
  await waitUntil('the engine', () => httpOk(`http://${engineHost}:${config.engine.managementPort}/ready`), config.readyTimeoutMs, engine.whenExited());
  const ops = launchOps(config, env);

  const { started, missing } = launchServices(config, env);
  if (!started.includes('order')) await deployCheckout(env);
  launch('workers', 'workers/main.ts', env);
  await Promise.all([
    ...started.map((service) => waitUntil(`the ${service} service`, () => portOpen('127.0.0.1', config.servicePorts[service]), config.readyTimeoutMs, childNamed(service).whenExited())),
    waitUntil('the ops page', () => httpOk(opsUrl(config)), config.readyTimeoutMs, ops.whenExited()),
  ]);
  superviseUnexpectedExits(config);
  if (!process.env.ORDERFLOW_OPS_TOKEN) printGeneratedToken(config);
  printUrls(config, started, missing);
}

/** Generated once per start when the user set none; the engine's REST API accepts it for reads and writes. */
const generatedOpsToken = randomBytes(24).toString('base64url');

/** The ops page, pointed at the REST API of the engine and the Order service just started, whatever ORDERFLOW_OPS_API_URL and ORDERFLOW_OPS_ORDER_URL say. */
function launchOps(config: StartConfig, env: NodeJS.ProcessEnv): ManagedChild {
  return launch('ops', 'services/ops/main.ts', {
    ...env,
    ORDERFLOW_OPS_PORT: String(config.ops.port),
    ORDERFLOW_OPS_HOST: config.ops.host,
    ORDERFLOW_OPS_API_URL: `http://${config.engine.host}:${config.engine.restPort}`,
    ORDERFLOW_OPS_ORDER_URL: `http://${config.serviceHosts.order}:${config.servicePorts.order}`,
  });
}

function opsUrl(config: StartConfig): string {
  return `http://${config.ops.host}:${config.ops.port}`;
}

function printGeneratedToken(config: StartConfig): void {
  say(
    [
      '',
      `Ops page: ${opsUrl(config)}  (sign in with this token; it reads and writes, there and on the services' operator endpoints)`,
      `  ORDERFLOW_OPS_TOKEN=${generatedOpsToken}`,
      '  Generated for this run only: set ORDERFLOW_OPS_TOKEN (and ORDERFLOW_OPS_READ_TOKEN for read-only access) to choose your own.',
      '',
    ].join('\n'),
  );
}

async function preflight(config: StartConfig): Promise<void> {
  const [problems, taken] = await Promise.all([
    Promise.all([checkPostgres(config.database), checkRabbit(config.messaging.url)]).then((found) => found.filter((problem) => problem !== undefined)),
    portsInUse(plannedPorts(config)),
  ]);
  if (problems.length === 0 && taken.length === 0) return;
  for (const problem of problems) {
    say(`✗ ${problem.what} is not reachable: ${problem.detail}`);
    say(`  Start it with: ${problem.howToStart}`);
  }
  for (const planned of taken) {
    say(`✗ Port ${planned.port} on ${planned.host} (${planned.what}) is already in use`);
    say(`  Stop what listens there, or set ${planned.variable} to a free port`);
  }
  process.exit(1);
}

/** Every port the processes started here will listen on. */
function plannedPorts(config: StartConfig): PlannedPort[] {
  const { engine, ops, workers } = config;
  return [
    { what: 'engine gRPC gateway', host: engine.host, port: engine.grpcPort, variable: 'ORDERFLOW_ENGINE_GRPC_PORT' },
    { what: 'engine management and clock', host: engine.host, port: engine.managementPort, variable: 'ORDERFLOW_ENGINE_MANAGEMENT_PORT' },
    { what: 'engine REST API', host: engine.host, port: engine.restPort, variable: 'ORDERFLOW_ENGINE_REST_PORT' },
    { what: 'ops page', host: ops.host, port: ops.port, variable: 'ORDERFLOW_OPS_PORT' },
    ...config.services.map((service) => ({ what: `${service} service`, host: config.serviceHosts[service], port: config.servicePorts[service], variable: `${service.toUpperCase()}_PORT` })),
    { what: 'workers metrics', host: workers.metricsHost, port: workers.metricsPort, variable: 'ORDERFLOW_WORKERS_METRICS_PORT' },
  ].filter((planned) => planned.port !== 0);
}

function childEnvironment(config: StartConfig): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...checkoutBrowserEnvironment(config),
    // The children reach the engine this script starts, through the SDK's own variables.
    ZEEBE_GRPC_ADDRESS: `grpc://${config.engine.host}:${config.engine.grpcPort}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
  };
}

function launch(name: string, entry: string, env: NodeJS.ProcessEnv): ManagedChild {
  if (!tree) throw new CompiledTreeError('Expected the sources to be compiled before a process starts');
  const child = new ManagedChild({ name, entry: tree.entry(entry), cwd: projectRoot, env }, 9);
  children.push(child);
  return child;
}

function launchServices(config: StartConfig, env: NodeJS.ProcessEnv): { started: StartableService[]; missing: StartableService[] } {
  const started: StartableService[] = [];
  const missing: StartableService[] = [];
  for (const service of config.services) {
    const entry = `services/${service}/main.ts`;
    if (!existsSync(path.join(projectRoot, entry))) {
      missing.push(service);
      continue;
    }
    const port = String(config.servicePorts[service]);
    launch(service, entry, { ...env, [`${service.toUpperCase()}_PORT`]: port, PORT: port });
    started.push(service);
  }
  if (missing.length > 0) say(`! Not started (no services/<name>/main.ts yet): ${missing.join(', ')}`);
  return { started, missing };
}

/** The Order service deploys checkout.bpmn at its start; without it, deploy here so the workers have a process. */
async function deployCheckout(env: NodeJS.ProcessEnv): Promise<void> {
  // The SDK reads its address from this process's environment: point it at the engine just started.
  process.env.ZEEBE_GRPC_ADDRESS = env.ZEEBE_GRPC_ADDRESS;
  process.env.CAMUNDA_AUTH_STRATEGY = env.CAMUNDA_AUTH_STRATEGY;
  const zeebe = createZeebeClientFromEnvironment();
  try {
    const { version } = await deployCheckoutProcess(zeebe);
    say(`Deployed processes/checkout.bpmn (version ${version})`);
  } finally {
    await zeebe.close();
  }
}

function childNamed(name: string): ManagedChild {
  return children.find((child) => child.name === name)!;
}

/** A child that dies on its own leaves the system half-up: say so and stop the rest. */
function superviseUnexpectedExits(config: StartConfig): void {
  for (const child of children) {
    void child.whenExited().then(({ code, signal }) => {
      if (stopping) return;
      say(`✗ ${child.name} exited unexpectedly (code ${code}, signal ${signal}); stopping everything`);
      void shutdown(config, 1);
    });
  }
}

/** What runs beside the services: stopped in turn too. */
const STARTED_BESIDE_SERVICES = ['engine', 'ops', 'workers'] as const;

/** What a user opens a service for, beside its URL. */
const serviceNotes: Record<StartableService, string> = {
  order: '/  (the shop: checkout page and Order API)',
  payment: '',
  inventory: '',
  shipping: '',
};

function printUrls(config: StartConfig, started: StartableService[], missing: StartableService[]): void {
  const { host, grpcPort, managementPort, clockControlled } = config.engine;
  const lines = [
    'Orderflow is running:',
    ...started.map((service) => `  ${service.padEnd(18)} http://${config.serviceHosts[service]}:${config.servicePorts[service]}${serviceNotes[service]}`),
    ...missing.map((service) => `  ${service.padEnd(18)} (not started: services/${service}/main.ts missing)`),
    `  ${'engine gRPC'.padEnd(18)} ${host}:${grpcPort}`,
    `  ${'engine management'.padEnd(18)} http://${host}:${managementPort}${clockControlled ? '  (clock actuator: /actuator/clock)' : ''}`,
    `  ${'engine REST API'.padEnd(18)} http://${host}:${config.engine.restPort}/v2`,
    `  ${'ops page'.padEnd(18)} ${opsUrl(config)}`,
    'Press Ctrl-C to stop.',
  ];
  say(lines.join('\n'));
}

/** Stops workers first, then services, then the engine, so nothing loses what it talks to mid-work. */
function shutdown(config: StartConfig, exitCode: number, signal?: NodeJS.Signals): Promise<void> {
  stopping ??= (async () => {
    if (signal) say(`\n${signal} received, stopping…`);
    for (const child of [...children].reverse()) {
      const clean = await child.stop(config.stopGraceMs);
      say(clean ? `  stopped ${child.name}` : `  killed ${child.name} (did not stop within ${config.stopGraceMs} ms)`);
    }
    say('Orderflow stopped.');
    process.exit(exitCode);
  })();
  return stopping;
}

main().catch((error: unknown) => {
  say(`✗ npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  const config = (() => {
    try {
      return loadStartConfig();
    } catch {
      return undefined;
    }
  })();
  if (config) void shutdown(config, 1);
  else process.exit(1);
});
