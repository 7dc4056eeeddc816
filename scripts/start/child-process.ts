/** A child process of `npm start`: its output prefixed line by line, and a bounded, clean stop. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ChildOptions {
  /** Shown before every line the child prints. */
  name: string;
  /** The entry: compiled JavaScript runs on Node alone (see compiled-tree.ts), TypeScript through tsx. */
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where prefixed lines go; stdout unless given. */
  write?: (line: string) => void;
  /** When given, the child writes stdout and stderr straight to this open file, unprefixed and without passing through this process. */
  logFd?: number;
  /** Node options before the entry, e.g. `--cpu-prof` (which NODE_OPTIONS does not accept). */
  nodeArgs?: readonly string[];
}

/** What Node needs to run `entry`: source maps for compiled JavaScript, so stack traces name the TypeScript; tsx for TypeScript. */
export function nodeArgumentsFor(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--import', 'tsx', entry] : ['--enable-source-maps', entry];
}

export class ManagedChild {
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(options: ChildOptions, prefixWidth: number) {
    this.name = options.name;
    // Its own process group: a Ctrl-C reaches only `npm start`, which then stops the children in order.
    const output = options.logFd ?? 'pipe';
    // The IPC channel is how the child notices this process has gone (lib/process/stop-requests.ts).
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...nodeArgumentsFor(options.entry)], { cwd: options.cwd, env: options.env, stdio: ['ignore', output, output, 'ipc'], detached: true });
    // Nor should the channel keep this process alive.
    this.child.channel?.unref();
    const prefix = `[${options.name}]`.padEnd(prefixWidth + 2);
    const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
    for (const stream of options.logFd === undefined ? [this.child.stdout!, this.child.stderr!] : []) {
      createInterface({ input: stream }).on('line', (line) => write(`${prefix} ${line}`));
    }
    this.exited = once(this.child, 'exit').then(([code, signal]) => {
      this.exitInfo = { code: code as number | null, signal: signal as NodeJS.Signals | null };
      return this.exitInfo;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Resolves when the child exits, however it exits. */
  whenExited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with whether it stopped by itself. */
  async stop(graceMs: number): Promise<boolean> {
    if (this.hasExited) return true;
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return true;
    this.signal('SIGKILL');
    await this.exited;
    return false;
  }

  /** Synchronous last resort when `npm start` itself exits unexpectedly. */
  kill(): void {
    if (!this.hasExited) this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      // The negative pid addresses the child's whole process group.
      if (this.child.pid !== undefined) process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}
