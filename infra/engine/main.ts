/**
 * `npm run engine`: the embedded engine alone, on Zeebe's ports (26500 gRPC, 9600 management),
 * configured from the environment (see config.ts). Stops cleanly on SIGINT and SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { processLogger } from '../../lib/process/process-logger.js';
import { EngineConfigError, readEngineConfig, type EngineConfig } from './config.js';
import { startEngineServer } from './engine-server.js';
import { onStopRequest } from '../../lib/process/stop-requests.js';

async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = processLogger({ name: 'orderflow-engine', level: config.logLevel });
  // No anonymous REST access: without a configured token, one is made up for this run and shown once.
  const generatedToken = config.restEnabled && config.opsToken === undefined ? randomBytes(24).toString('base64url') : undefined;
  const opsToken = config.restEnabled ? (config.opsToken ?? generatedToken) : undefined;
  const server = await startEngineServer({
    restPort: config.restPort,
    opsToken,
    opsReadToken: config.opsReadToken,
    dataDir: config.dataDir,
    host: config.host,
    grpcPort: config.grpcPort,
    managementPort: config.managementPort,
    clockControlled: config.clockControlled,
    token: config.token,
    grpcCompression: config.grpcCompression,
    batchWindowMs: config.batchWindowMs,
    logger,
  });
  logger.info(
    {
      grpcAddress: server.grpcAddress,
      managementPort: server.managementPort,
      dataDir: config.dataDir,
      clockControlled: config.clockControlled,
      tokenRequired: config.token !== undefined,
      grpcCompression: config.grpcCompression,
      restUrl: server.restPort === undefined ? undefined : `http://${config.host}:${server.restPort}/v2`,
    },
    'engine started',
  );
  if (generatedToken !== undefined) showGeneratedToken(logger, `http://${config.host}:${server.restPort}/v2`, generatedToken);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal while closing means the operator wants out now.
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'engine stopping');
    server.close().then(
      () => {
        logger.info({ signal }, 'engine stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error, signal }, 'engine did not stop cleanly');
        process.exit(1);
      },
    );
  };
  onStopRequest(stop);
  collectGarbageOnSignal(logger);
}

/**
 * A debug hook for the benchmark's memory phase, only there when Node runs with `--expose-gc`:
 * SIGUSR2 runs a full garbage collection and logs the memory left, so RSS is read as retained
 * memory rather than garbage not yet collected. SIGUSR1 is Node's inspector signal; USR2 is free.
 */
function collectGarbageOnSignal(logger: Logger): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return;
  process.on('SIGUSR2', () => {
    gc();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    logger.info({ rss, heapUsed, external, arrayBuffers }, 'garbage collected');
  });
}

/**
 * Shows the token made up for this run once: as a banner on a terminal, as a log line when stdout
 * is read by a program (which expects one JSON document per line).
 */
function showGeneratedToken(logger: Logger, restUrl: string, token: string): void {
  if (!process.stdout.isTTY) {
    logger.info({ restUrl, opsToken: token }, 'REST API token generated for this run (ORDERFLOW_OPS_TOKEN not set)');
    return;
  }
  process.stdout.write(
    `\nREST API: ${restUrl}\n` +
      `ORDERFLOW_OPS_TOKEN is not set; this run's token (send it as "Authorization: Bearer <token>"):\n\n    ${token}\n\n`,
  );
}

function readConfigOrExit(): EngineConfig {
  try {
    return readEngineConfig();
  } catch (error) {
    if (!(error instanceof EngineConfigError)) throw error;
    processLogger({ name: 'orderflow-engine' }).fatal(
      { variables: error.variables, reason: error.message },
      'invalid engine configuration',
    );
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  processLogger({ name: 'orderflow-engine' }).fatal({ err: error }, 'engine failed to start');
  process.exit(1);
});
