/**
 * What asks a process to stop, seen from a child spawned with an IPC channel, as `npm start` and the
 * system harness spawn theirs.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

const stopRequests = new URL('../../lib/process/stop-requests.ts', import.meta.url).href;
const runService = new URL('../../lib/process/run-service.ts', import.meta.url).href;

/**
 * A child that registers after `registerAfterMs` and prints every stop request it gets, then exits;
 * with `hang`, its stop never finishes, and only the grace period of `graceMs` ends it.
 */
function child(registerAfterMs: number, { hang = false, graceMs = 10_000 } = {}) {
  const stop = hang ? "(signal) => { console.log('stop ' + signal); }" : "(signal) => { console.log('stop ' + signal); process.exit(0); }";
  return childRunning([
    `import { onStopRequest } from ${JSON.stringify(stopRequests)};`,
    `setTimeout(() => onStopRequest(${stop}, ${graceMs}), ${registerAfterMs});`,
  ]);
}

/** A child spawned with an IPC channel running `lines`, kept alive until something ends it; it prints `ready` first. */
function childRunning(lines: string[]) {
  const script = [...lines, 'setInterval(() => {}, 1_000);', "console.log('ready');"].join('\n');
  const process_ = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let output = '';
  process_.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(process_, 'exit');
  return { process: process_, output: () => output, exited };
}

describe('stop requests', () => {
  it('When the parent goes away, then the child is asked to stop with SIGHUP', async () => {
    const started = child(0);
    await expect.poll(started.output, { timeout: 20_000 }).toContain('ready');
    await new Promise((resolve) => setTimeout(resolve, 100));

    started.process.disconnect();
    await started.exited;

    expect(started.output()).toContain('stop SIGHUP');
  }, 30_000);

  it('When the parent went away before the child registered, then the child is still asked to stop', async () => {
    const started = child(1_000);
    await expect.poll(started.output, { timeout: 20_000 }).toContain('ready');

    started.process.disconnect();
    const [code] = await Promise.race([started.exited, new Promise<[string]>((resolve) => setTimeout(() => resolve(['still running']), 10_000))]);
    if (code === 'still running') started.process.kill('SIGKILL');

    expect(code).toBe(0);
    expect(started.output()).toContain('stop SIGHUP');
  }, 30_000);

  it('When a stop does not finish within the grace period, then the process ends itself with code 1', async () => {
    const started = child(0, { hang: true, graceMs: 500 });
    await expect.poll(started.output, { timeout: 20_000 }).toContain('ready');
    await new Promise((resolve) => setTimeout(resolve, 100));

    started.process.disconnect();
    const [code] = await Promise.race([started.exited, new Promise<[string]>((resolve) => setTimeout(() => resolve(['still running']), 10_000))]);
    if (code === 'still running') started.process.kill('SIGKILL');

    expect(started.output()).toContain('stop SIGHUP');
    expect(code).toBe(1);
  }, 30_000);
});

describe('a service process', () => {
  it('When its parent goes away while it is still starting, then it exits at once without waiting for the start', async () => {
    const started = childRunning([
      `import { runServiceProcess } from ${JSON.stringify(runService)};`,
      "runServiceProcess({ displayName: 'Never ready', start: () => new Promise(() => {}) });",
    ]);
    await expect.poll(started.output, { timeout: 20_000 }).toContain('ready');
    await new Promise((resolve) => setTimeout(resolve, 100));

    started.process.disconnect();
    const [code] = await Promise.race([started.exited, new Promise<[string]>((resolve) => setTimeout(() => resolve(['still running']), 5_000))]);
    if (code === 'still running') started.process.kill('SIGKILL');

    expect(code).toBe(0);
  }, 30_000);
});
