/**
 * The workers process: every checkout job worker and the message bridge. Zeebe is reached through the
 * SDK's environment variables (default: the embedded engine on 127.0.0.1:26500, no auth, plaintext),
 * RabbitMQ through RABBITMQ_URL. Stops cleanly on SIGINT and SIGTERM.
 */
import type { Logger } from 'pino';
import { processLogger } from '../lib/process/process-logger.js';
import type { Registry } from 'prom-client';
import { RabbitConnection, topologyNames } from '../infra/messaging/index.js';
import { createMetricsRegistry, startMetricsServer, type MetricsServer } from '../lib/metrics/index.js';
import { onStopRequest } from '../lib/process/stop-requests.js';
import { startCheckoutWorkers } from './checkout-workers.js';
import { loadWorkersConfig, type WorkersConfig } from './workers-config.js';
import { createZeebeClientFromEnvironment } from './zeebe-client.js';

async function main(): Promise<void> {
  const config = loadWorkersConfig();
  const logger = processLogger({ name: 'orderflow-workers', level: config.logLevel });
  // Registered first: a stop asked for while starting (the engine or RabbitMQ not answering yet) must not wait for the start.
  let closeAll: (() => Promise<void>) | undefined;
  let stopping = false;
  onStopRequest((signal) => {
    // A second signal while closing means the operator wants out now.
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'workers stopping');
    // Nothing activated or consumed yet can be lost: a job times out and is activated again, a message is redelivered.
    if (!closeAll) process.exit(0);
    closeAll().then(
      () => {
        logger.info({ signal }, 'workers stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error, signal }, 'workers did not stop cleanly');
        process.exit(1);
      },
    );
  });
  const metrics = createMetricsRegistry('workers');
  const zeebe = createZeebeClientFromEnvironment();
  const connection = await RabbitConnection.connect({ url: config.messaging.url, logger, connectionName: 'orderflow-workers' });
  const workers = await startCheckoutWorkers({
    zeebe,
    connection,
    names: topologyNames(config.messaging.prefix),
    logger,
    jobWorker: { jobTimeoutMs: config.jobTimeoutMs },
    bridge: { messageTimeToLiveMs: config.messageTimeToLiveMs },
    metrics,
  });
  const metricsServer = await serveMetrics(metrics, config, logger);
  logger.info({ zeebeAddress: process.env.ZEEBE_GRPC_ADDRESS, jobTypes: workers.jobWorkers.map((worker) => worker.jobType), bridgeQueue: workers.bridge.queue.queue }, 'workers started');

  closeAll = async () => {
    await metricsServer?.close();
    await workers.close();
    await zeebe.close();
    await connection.close();
  };
}

/** A port already taken must not stop the jobs: the workers run on, unmeasured, and say so. */
async function serveMetrics(registry: Registry, config: WorkersConfig, logger: Logger): Promise<MetricsServer | undefined> {
  try {
    const server = await startMetricsServer({ registry, host: config.metricsHost, port: config.metricsPort });
    logger.info({ url: `http://${config.metricsHost}:${server.port}/metrics` }, 'metrics served');
    return server;
  } catch (error) {
    logger.error({ err: error, port: config.metricsPort }, 'metrics server could not listen; workers run without /metrics');
    return undefined;
  }
}

main().catch((error: unknown) => {
  processLogger({ name: 'orderflow-workers' }).fatal({ err: error }, 'workers failed to start');
  process.exit(1);
});
