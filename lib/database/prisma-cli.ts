import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { prismaConfigPath, type ServiceName } from './service-databases.js';

export interface PrismaCliResult {
  exitCode: number;
  output: string;
}

const prismaCliEntry = createRequire(import.meta.url).resolve('prisma/build/index.js');

/**
 * Runs Prisma's CLI with a service's prisma.config.ts (JavaScript schema engine, no engine download).
 * Resolves with the exit code and the combined output; never rejects for a failing command.
 */
export function runPrismaCli(service: ServiceName, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<PrismaCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCliEntry, ...args, '--config', prismaConfigPath(service)], {
      // Telemetry and update checks would wait on a network this machine does not have.
      env: { ...env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', PRISMA_DISABLE_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, output }));
  });
}
