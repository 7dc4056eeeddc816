/**
 * The workers process: every checkout job worker and the message bridge. Zeebe is reached through the
 * SDK's environment variables (default: the embedded engine on 127.0.0.1:26500, no auth, plaintext),
 * RabbitMQ through RABBITMQ_URL. Stops cleanly on SIGINT, SIGTERM or its parent going (lib/process/run-service.ts).
 */
import type { Logger } from 'pino';
import { processLogger } from '../lib/process/process-logger.js';
import type { Registry } from 'prom-client';
import { RabbitConnection, topologyNames } from '../infra/messaging/index.js';
import { createMetricsRegistry, startMetricsServer, type MetricsServer } from '../lib/metrics/index.js';
import { runServiceProcess, type RunningService } from '../lib/process/run-service.js';
import { startCheckoutWorkers } from './checkout-workers.js';
import { loadWorkersConfig, type WorkersConfig } from './workers-config.js';
import { createZeebeClientFromEnvironment } from './zeebe-client.js';

async function main(): Promise<{ service: RunningService; logger: Logger }> {
  const config = loadWorkersConfig();
  const logger = processLogger({ name: 'orderflow-workers', level: config.logLevel });
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
  const service = {
    async close() {
      await metricsServer?.close();
      await workers.close();
      await zeebe.close();
      await connection.close();
    },
  };
  return { service, logger };
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

runServiceProcess({ displayName: 'Workers', start: main });
