/**
 * `npm run engine` as an operator runs it: a separate process configured from the environment,
 * reachable by zbctl, and stopping cleanly on SIGTERM.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { zbctlBinary } from './client-test-support.js';

const projectRoot = path.resolve(import.meta.dirname, '..', '..', '..');

let engine: ChildProcess | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  if (engine && engine.exitCode === null) {
    engine.kill('SIGKILL');
    await once(engine, 'exit');
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface LogLine {
  msg: string;
  grpcAddress?: string;
  managementPort?: number;
}

/** Starts main.ts on free ports and resolves with its 'engine started' log line. */
async function startEngineProcess(): Promise<{ started: LogLine; lines: LogLine[] }> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'orderflow-engine-'));
  engine = spawn(process.execPath, ['--import', 'tsx', 'infra/engine/main.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ORDERFLOW_ENGINE_DATA_DIR: dataDir,
      ORDERFLOW_ENGINE_GRPC_PORT: '0',
      ORDERFLOW_ENGINE_MANAGEMENT_PORT: '0',
      ORDERFLOW_ENGINE_REST_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: LogLine[] = [];
  const started = new Promise<LogLine>((resolve, reject) => {
    createInterface({ input: engine!.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      if (line.msg === 'engine started') resolve(line);
    });
    engine!.once('exit', (code) =>
      reject(new Error(`Expected the engine to log 'engine started', but it exited with ${code}`)),
    );
  });
  return { started: await started, lines };
}

it('When the engine process runs, then zbctl reaches it and SIGTERM stops it cleanly', async () => {
  const { started, lines } = await startEngineProcess();

  const { stdout } = await promisify(execFile)(zbctlBinary, [
    'status', '--insecure', '--address', started.grpcAddress!,
  ]);
  engine!.kill('SIGTERM');
  const [exitCode] = (await once(engine!, 'exit')) as [number | null];

  expect(stdout).toContain('Partition 1 : Leader, Healthy');
  expect(exitCode).toBe(0);
  expect(lines.map((line) => line.msg)).toContain('engine stopped');
});
