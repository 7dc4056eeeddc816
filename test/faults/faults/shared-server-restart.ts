/**
 * A restart of a server every process depends on: RabbitMQ (`rabbitmqctl stop_app` / `start_app`)
 * or PostgreSQL (`pg_ctlcluster … restart`). Every connection drops; the processes must reconnect by
 * themselves and lose nothing. These servers are shared with anything else on the machine, so the
 * restart is bounded and `cleanUp` starts the server again if the restart was interrupted.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Fault } from './fault.js';

const run = promisify(execFile);
const COMMAND_TIMEOUT_MS = 120_000;

/** Thrown when a server's control command fails; the message carries its output. */
export class ServerControlError extends Error {
  constructor(readonly command: string, cause: unknown) {
    super(`Expected \`${command}\` to succeed, but ${(cause as Error).message}`, { cause });
    this.name = 'ServerControlError';
  }
}

async function control(command: string, args: string[]): Promise<void> {
  try {
    await run(command, args, { timeout: COMMAND_TIMEOUT_MS });
  } catch (error) {
    throw new ServerControlError(`${command} ${args.join(' ')}`, error);
  }
}

export function restartRabbitMq(): Fault {
  let restarts = 0;
  let stopped = false;
  const startApp = async () => {
    if (!stopped) return;
    await control('rabbitmqctl', ['start_app']);
    stopped = false;
  };
  return {
    injected: () => restarts,
    async start() {
      stopped = true;
      await control('rabbitmqctl', ['stop_app']);
      await startApp();
      restarts += 1;
    },
    async end() {},
    cleanUp: startApp,
  };
}

export function restartPostgres(): Fault {
  // One cluster per machine here; its version directory names it.
  const version = readdirSync('/etc/postgresql')[0]!;
  const pgctl = (action: string) => control('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action]);
  let restarts = 0;
  return {
    injected: () => restarts,
    async start() {
      await pgctl('restart');
      restarts += 1;
    },
    async end() {},
    // `status` exits non-zero when the cluster is down: then start it.
    cleanUp: () => pgctl('status').catch(() => pgctl('start')),
  };
}
