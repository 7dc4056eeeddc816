/**
 * An entry point's logger when nobody reads its stdout any more (the parent that did was killed):
 * logging must not keep the process from ending.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

const processLogger = new URL('../../lib/process/process-logger.ts', import.meta.url).href;

describe('the process logger', () => {
  it('When the reader of stdout is gone, then logging goes on without blocking and the process exits', async () => {
    const script = [
      `import { processLogger } from ${JSON.stringify(processLogger)};`,
      "const logger = processLogger({ name: 'orphan' });",
      "process.stdin.once('data', () => { for (let i = 0; i < 1_000; i++) logger.info({ i }, 'still logging'); process.exit(0); });",
      "logger.info('ready');",
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    await once(child.stdout!, 'data');

    child.stdout!.destroy();
    child.stdin!.write('go\n');
    const [code] = await Promise.race([exited, new Promise<[string]>((resolve) => setTimeout(() => resolve(['still running']), 10_000))]);
    if (code === 'still running') child.kill('SIGKILL');

    expect(code).toBe(0);
  }, 30_000);
});
