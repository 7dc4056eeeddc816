/**
 * `npm start` as a user runs it: on free ports, with its own databases, messaging prefix and engine
 * data directory, so it runs beside anything else on the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDatabaseConfig, serviceNames } from '../../lib/database/index.js';
import { isAlive } from '../support/process-alive.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rabbitUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The start script as a child, with everything it prints collected and awaitable. */
class StartedScript {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly watchers: { text: string; resolve: () => void }[] = [];

  /** `through: 'npm'` runs it as `npm start` does (npm, its shell, tsx), so signals go where they go then. */
  constructor(env: NodeJS.ProcessEnv, through: 'node' | 'npm' = 'node') {
    this.child =
      through === 'npm'
        ? spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) stream.on('data', (chunk: Buffer) => this.append(chunk.toString()));
    this.exited = once(this.child, 'exit').then(([code]) => code as number | null);
  }

  /** Resolves once the output contains `text`; rejects if the script exits first. */
  async printed(text: string, timeoutMs: number): Promise<void> {
    if (this.output.includes(text)) return;
    const seen = new Promise<void>((resolve) => this.watchers.push({ text, resolve }));
    const exitedFirst = this.exited.then((code) => Promise.reject(new Error(`Expected "${text}", but the script exited with ${code}:\n${this.output.slice(-3_000)}`)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Expected "${text}" within ${timeoutMs} ms:\n${this.output.slice(-3_000)}`)), timeoutMs)));
    try {
      await Promise.race([seen, exitedFirst, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ctrl-C as a terminal under `npm start` delivers it: once to the process group, once more relayed by tsx. */
  interrupt(): void {
    this.child.kill('SIGINT');
    setTimeout(() => this.child.kill('SIGINT'), 50);
  }

  /** `kill <pid>`, as a supervisor or a shell's `kill %1` stops a background `npm start`. */
  terminate(): void {
    this.child.kill('SIGTERM');
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private append(text: string): void {
    this.output += text;
    for (const watcher of this.watchers.filter((w) => this.output.includes(w.text))) watcher.resolve();
  }
}

describe('npm start', () => {
  const cleanUps: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp().catch(() => undefined);
  });

  /** A data directory, database prefix and messaging prefix of the test's own, removed after it. */
  async function ownResources() {
    const id = randomBytes(4).toString('hex');
    const own = { dataDir: await mkdtemp(path.join(tmpdir(), 'orderflow-start-')), databasePrefix: `orderflow_test_start_${id}`, messagingPrefix: `test-${id}.orderflow` };
    cleanUps.push(() => rm(own.dataDir, { recursive: true, force: true }), () => dropDatabases(own.databasePrefix), () => deleteQueues(own.messagingPrefix));
    return own;
  }

  it('When started, then it prints the URLs and a generated ops token once everything serves, the ops page and the services accept that token, and on SIGINT, even sent twice, it stops every child and exits 0', { timeout: 180_000 }, async () => {
    const own = await ownResources();
    const ports = await startPorts();
    const readToken = randomBytes(16).toString('hex');
    const { ORDERFLOW_OPS_TOKEN: _unset, ...environment } = startEnvironment(ports, own);
    const script = new StartedScript({ ...environment, ORDERFLOW_OPS_READ_TOKEN: readToken });
    cleanUps.push(async () => script.kill());

    await script.printed('Press Ctrl-C to stop.', 150_000);
    const ready = await fetch(`http://127.0.0.1:${ports.management}/ready`);
    const opsPage = await fetch(`http://127.0.0.1:${ports.ops}/`);
    const opsPageHtml = await opsPage.text();
    const token = /ORDERFLOW_OPS_TOKEN=(\S+)/.exec(script.output)?.[1];
    const opsSession = await fetch(`http://127.0.0.1:${ports.ops}/ops/session`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.json());
    const operatorAnswers = await operatorEndpointStatuses(ports, { ops: `Bearer ${token}`, read: `Bearer ${readToken}` });
    const checkoutConfig = (await fetch(`http://127.0.0.1:${ports.order}/checkout/config`).then((response) => response.json())) as { paymentUrl: string };
    const cardPreflight = await fetch(`http://127.0.0.1:${ports.payment}/cards`, {
      method: 'OPTIONS',
      headers: { origin: `http://localhost:${ports.order}`, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    script.interrupt();
    const exitCode = await script.exited;

    expect(ready.status).toBe(200);
    expect(opsPage.status).toBe(200);
    expect(opsPageHtml).toContain('<title>Orderflow ops</title>');
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(opsSession).toMatchObject({ canRead: true, canWrite: true });
    expect(operatorAnswers).toEqual({ anonymous: [401, 401, 401, 401, 401], read: [200, 200, 200, 200, 403], ops: [200, 200, 200, 200, 200] });
    // The checkout page on the moved Order port sends cards to the moved Payment port, which lets it.
    expect(checkoutConfig.paymentUrl).toBe(`http://127.0.0.1:${ports.payment}`);
    expect(cardPreflight.status).toBe(204);
    expect(cardPreflight.headers.get('access-control-allow-origin')).toBe(`http://localhost:${ports.order}`);
    expect(script.output).toContain(`ops page           http://127.0.0.1:${ports.ops}`);
    expect(script.output).toContain(`engine REST API    http://127.0.0.1:${ports.rest}/v2`);
    expect(script.output).toContain(`engine gRPC        127.0.0.1:${ports.grpc}`);
    expect(script.output).toContain(`order              http://127.0.0.1:${ports.order}/  (the shop: checkout page and Order API)`);
    expect(script.output).toContain('(clock actuator: /actuator/clock)');
    expect(script.output).toMatch(/stopped workers[\s\S]*stopped engine[\s\S]*Orderflow stopped\./);
    expect(exitCode).toBe(0);
    await expect(fetch(`http://127.0.0.1:${ports.management}/ready`)).rejects.toThrow();
    for (const port of [ports.ops, ports.order, ports.payment, ports.inventory, ports.shipping]) {
      await expect(fetch(`http://127.0.0.1:${port}/`), `port ${port}`).rejects.toThrow();
    }
  });

  it('When npm start itself is killed with SIGKILL, then the processes it started stop by themselves', { timeout: 180_000 }, async () => {
    const own = await ownResources();
    const ports = await startPorts();
    const script = new StartedScript(startEnvironment(ports, own));
    cleanUps.push(async () => script.kill());
    await script.printed('Press Ctrl-C to stop.', 150_000);
    const pids = [...new Set([...script.output.matchAll(/"pid":(\d+)/g)].map((match) => Number(match[1])))];
    // The script's own lines and one process each for the engine, the ops page, four services and the workers.
    expect(pids.length).toBeGreaterThanOrEqual(8);

    script.kill();
    await script.exited;

    await expect.poll(() => pids.filter(isAlive), { timeout: 20_000, interval: 250 }).toEqual([]);
    for (const port of Object.values(ports)) await expect(fetch(`http://127.0.0.1:${port}/`), `port ${port}`).rejects.toThrow();
  });

  it('When npm start is sent SIGTERM, then it stops every process it started', { timeout: 180_000 }, async () => {
    const own = await ownResources();
    const ports = await startPorts();
    const script = new StartedScript(startEnvironment(ports, own), 'npm');
    cleanUps.push(async () => script.kill());
    await script.printed('Press Ctrl-C to stop.', 150_000);
    const pids = [...new Set([...script.output.matchAll(/"pid":(\d+)/g)].map((match) => Number(match[1])))];

    script.terminate();
    await script.printed('Orderflow stopped.', 30_000);

    await expect.poll(() => pids.filter(isAlive), { timeout: 20_000, interval: 250 }).toEqual([]);
    for (const port of Object.values(ports)) await expect(fetch(`http://127.0.0.1:${port}/`), `port ${port}`).rejects.toThrow();
  });

  it('When RabbitMQ is not reachable, then it names what is missing and how to start it, and exits non-zero', { timeout: 60_000 }, async () => {
    const closedPort = await freePort();
    const script = new StartedScript({ ...process.env, RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${closedPort}` });
    cleanUps.push(async () => script.kill());

    const exitCode = await script.exited;

    expect(exitCode).not.toBe(0);
    expect(script.output).toContain(`RabbitMQ at 127.0.0.1:${closedPort} is not reachable`);
    expect(script.output).toContain('rabbitmq-server -detached');
    expect(script.output).not.toContain('Migrating databases');
  });

  it('When a port it would use is taken, then it names the port, what needs it and the variable that moves it, and exits non-zero before starting anything', { timeout: 60_000 }, async () => {
    const ports = await startPorts();
    const squatter = createServer().listen(ports.rest, '127.0.0.1');
    await once(squatter, 'listening');
    cleanUps.push(async () => squatter.close());
    const script = new StartedScript(startEnvironment(ports, await ownResources()));
    cleanUps.push(async () => script.kill());

    const exitCode = await script.exited;

    expect(exitCode).not.toBe(0);
    expect(script.output).toContain(`Port ${ports.rest} on 127.0.0.1 (engine REST API) is already in use`);
    expect(script.output).toContain('set ORDERFLOW_ENGINE_REST_PORT to a free port');
    expect(script.output).not.toContain('Migrating databases');
  });
});

/**
 * What each service's operator endpoints answer without a token, with the read token and with the ops
 * token: the stuck orders, payments, shipments and stock reads, then a restock.
 */
async function operatorEndpointStatuses(ports: StartPorts, tokens: { ops: string; read: string }): Promise<Record<'anonymous' | 'read' | 'ops', number[]>> {
  const anyOrder = '00000000-0000-0000-0000-000000000000';
  const requests: [number, string, string][] = [
    [ports.order, 'GET', '/ops/stuck-orders'],
    [ports.payment, 'GET', `/payments?orderId=${anyOrder}`],
    [ports.shipping, 'GET', `/shipments?orderId=${anyOrder}`],
    [ports.inventory, 'GET', '/stock/SKU-MUG'],
    [ports.inventory, 'PUT', '/stock/SKU-MUG'],
  ];
  const statuses = (authorization?: string) =>
    Promise.all(
      requests.map(async ([port, method, path]) => {
        const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
        const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, ...(method === 'PUT' ? { body: JSON.stringify({ quantity: 1000 }) } : {}) });
        await response.body?.cancel();
        return response.status;
      }),
    );
  return { anonymous: await statuses(), read: await statuses(tokens.read), ops: await statuses(tokens.ops) };
}

type StartPorts = Record<'grpc' | 'management' | 'rest' | 'ops' | 'order' | 'payment' | 'inventory' | 'shipping' | 'workersMetrics', number>;

async function startPorts(): Promise<StartPorts> {
  return { grpc: await freePort(), management: await freePort(), rest: await freePort(), ops: await freePort(), order: await freePort(), payment: await freePort(), inventory: await freePort(), shipping: await freePort(), workersMetrics: await freePort() };
}

/** Everything on its own ports, databases, queues and data directory, beside anything else running. */
function startEnvironment(ports: StartPorts, own: { dataDir: string; databasePrefix: string; messagingPrefix: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ORDERFLOW_ENGINE_REST_PORT: String(ports.rest),
    ORDERFLOW_OPS_PORT: String(ports.ops),
    ORDERFLOW_ENGINE_DATA_DIR: own.dataDir,
    ORDERFLOW_ENGINE_GRPC_PORT: String(ports.grpc),
    ORDERFLOW_ENGINE_MANAGEMENT_PORT: String(ports.management),
    ORDER_PORT: String(ports.order),
    PAYMENT_PORT: String(ports.payment),
    INVENTORY_PORT: String(ports.inventory),
    SHIPPING_PORT: String(ports.shipping),
    ORDERFLOW_WORKERS_METRICS_PORT: String(ports.workersMetrics),
    ORDERFLOW_DATABASE_PREFIX: own.databasePrefix,
    ORDERFLOW_MESSAGING_PREFIX: own.messagingPrefix,
    ZEEBE_CLOCK_CONTROLLED: 'true',
  };
}


async function dropDatabases(prefix: string): Promise<void> {
  const config = loadDatabaseConfig();
  const client = new pg.Client({ host: config.host, port: config.port, user: config.user, password: config.password, database: config.maintenanceDatabase });
  await client.connect();
  try {
    for (const service of serviceNames) await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(`${prefix}_${service}`)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Deletes every queue and exchange the started processes declared under the test's prefix. */
async function deleteQueues(prefix: string): Promise<void> {
  const [{ stdout: queues }, { stdout: exchanges }] = await Promise.all([
    run('rabbitmqctl', ['list_queues', 'name', '--quiet', '--no-table-headers']),
    run('rabbitmqctl', ['list_exchanges', 'name', '--quiet', '--no-table-headers']),
  ]);
  const connection = await amqp.connect(rabbitUrl);
  const channel = await connection.createChannel();
  for (const queue of queues.split('\n').filter((name) => name.startsWith(`${prefix}.`))) await channel.deleteQueue(queue);
  for (const exchange of exchanges.split('\n').filter((name) => name.startsWith(`${prefix}.`))) await channel.deleteExchange(exchange);
  await connection.close();
}
