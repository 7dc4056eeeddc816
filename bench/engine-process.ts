/**
 * The engine as `npm run engine` runs it, but as a child process on free loopback ports with a
 * given data directory: what the benchmark measures (its own CPU and RSS) and what the durability
 * test kills with SIGKILL. Node runs the compiled `infra/engine/main.ts` directly, not through
 * npx, so the child's pid is the engine's own and a signal reaches the engine, not a wrapper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { projectRoot } from '../lib/project/project-root.js';
import { nodeArgumentsFor } from '../scripts/start/child-process.js';
import { compiledTree } from '../scripts/start/compiled-tree.js';

export interface EngineProcessOptions {
  dataDir: string;
  /** 0 (the default) lets the engine pick; pass the previous port to restart on the same address. */
  grpcPort?: number;
  managementPort?: number;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeOptions?: string[];
  /** How long to wait for the engine to log its ports and answer GET /ready. */
  readyTimeoutMs?: number;
  /** Called with each line the engine logs that is not its startup line (warnings, errors). */
  onLogLine?: (line: string) => void;
}

export interface EngineProcess {
  readonly pid: number;
  readonly grpcPort: number;
  readonly managementPort: number;
  /** `127.0.0.1:port`, as zbctl and zeebe-node take it. */
  readonly grpcAddress: string;
  /** Resident set size of the engine process now, from /proc/<pid>/status (Linux only). */
  rssBytes(): number;
  /**
   * Runs a full garbage collection in the engine (SIGUSR2, see main.ts) and resolves with its
   * memory afterwards. Needs the engine started with `nodeOptions: ['--expose-gc']`.
   */
  collectGarbage(): Promise<EngineMemory>;
  /** Kills the engine without letting it close anything: the crash the store must survive. */
  kill(): Promise<void>;
  /** SIGTERM: the engine closes its gateway and store and exits. */
  stop(): Promise<void>;
}

/** The engine's `process.memoryUsage()` right after a full garbage collection. */
export interface EngineMemory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Thrown when the engine process exits or stays unready before it serves. */
export class EngineProcessStartError extends Error {
  override readonly name = 'EngineProcessStartError';
}

interface StartedLine extends Partial<EngineMemory> {
  msg?: string;
  grpcAddress?: string;
  managementPort?: number;
}

/**
 * Starts the engine and resolves once GET /ready answers 200.
 * @throws EngineProcessStartError when it exits early or is not ready within the timeout.
 */
export async function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  // Compiled, as `npm start` runs it: the memory figures are the engine's, not tsx's as well.
  const engineMain = (await compiledTree()).entry('infra/engine/main.ts');
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), ...nodeArgumentsFor(engineMain)], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ORDERFLOW_ENGINE_DATA_DIR: options.dataDir,
      ORDERFLOW_ENGINE_GRPC_PORT: String(options.grpcPort ?? 0),
      ORDERFLOW_ENGINE_MANAGEMENT_PORT: String(options.managementPort ?? 0),
      ORDERFLOW_ENGINE_REST_PORT: '0',
      ORDERFLOW_ENGINE_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timeoutMs = options.readyTimeoutMs ?? 20_000;
  // Kept so that an engine that dies while starting says why.
  const recentLines: string[] = [];
  const onLogLine = (line: string) => {
    recentLines.push(line);
    if (recentLines.length > 30) recentLines.shift();
    options.onLogLine?.(line);
  };
  const gcWaiters: ((memory: EngineMemory) => void)[] = [];
  const onGarbageCollected = (memory: EngineMemory) => gcWaiters.shift()?.(memory);
  const ports = await withTimeout(
    Promise.race([
      startupLine(child, onLogLine, onGarbageCollected),
      exited.then((code) => {
        throw new EngineProcessStartError(`Expected the engine to start, but it exited with code ${code}:\n${recentLines.join('\n')}`);
      }),
    ]),
    timeoutMs,
    () => child.kill('SIGKILL'),
  );
  const managementPort = ports.managementPort;
  await waitUntilReady(managementPort, timeoutMs);
  const pid = child.pid!;
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    pid,
    grpcPort: ports.grpcPort,
    managementPort,
    grpcAddress: `127.0.0.1:${ports.grpcPort}`,
    rssBytes: () => readRssBytes(pid),
    collectGarbage: () =>
      new Promise((resolve) => {
        gcWaiters.push(resolve);
        child.kill('SIGUSR2');
      }),
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

function startupLine(
  child: ChildProcess,
  onLogLine: (line: string) => void,
  onGarbageCollected: (memory: EngineMemory) => void,
): Promise<{ grpcPort: number; managementPort: number }> {
  return new Promise((resolve) => {
    let started = false;
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        const parsed = parseJson(line);
        if (!started && parsed?.msg === 'engine started' && parsed.grpcAddress && parsed.managementPort) {
          started = true;
          resolve({ grpcPort: Number(parsed.grpcAddress.split(':').pop()), managementPort: parsed.managementPort });
        } else if (parsed?.msg === 'garbage collected') {
          const { rss = 0, heapUsed = 0, external = 0, arrayBuffers = 0 } = parsed;
          onGarbageCollected({ rss, heapUsed, external, arrayBuffers });
        } else if (isNoteworthy(parsed)) {
          onLogLine(line);
        }
      });
    }
  });
}

function parseJson(line: string): (StartedLine & { level?: number }) | undefined {
  try {
    return JSON.parse(line) as StartedLine & { level?: number };
  } catch {
    return undefined;
  }
}

/** Warnings and worse, or anything that is not a pino line (a crash's stack trace). */
function isNoteworthy(parsed: { level?: number } | undefined): boolean {
  return parsed === undefined || (parsed.level ?? 0) >= 40;
}

async function waitUntilReady(managementPort: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${managementPort}/ready`);
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new EngineProcessStartError(`Expected GET /ready to answer 200 within ${timeoutMs} ms, but the last answer was ${last}`);
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new EngineProcessStartError(`Expected the engine to log its ports within ${ms} ms, but it did not`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** VmRSS of a Linux process in bytes. */
export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kilobytes === undefined) throw new Error(`Expected VmRSS in /proc/${pid}/status, but found none`);
  return Number(kilobytes) * 1024;
}
