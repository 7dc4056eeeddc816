/**
 * The workers process: every checkout job worker and the message bridge. Zeebe is reached through the
 * SDK's environment variables (default: the embedded engine on 127.0.0.1:26500, no auth, plaintext),
 * RabbitMQ through RABBITMQ_URL. Stops cleanly on SIGINT and SIGTERM.
 */
import pino from 'pino';
import { RabbitConnection, topologyNames } from '../infra/messaging/index.js';
import { startCheckoutWorkers } from './checkout-workers.js';
import { loadWorkersConfig } from './workers-config.js';
import { createZeebeClientFromEnvironment } from './zeebe-client.js';

async function main(): Promise<void> {
  const config = loadWorkersConfig();
  const logger = pino({ name: 'orderflow-workers', level: config.logLevel });
  const zeebe = createZeebeClientFromEnvironment();
  const connection = await RabbitConnection.connect({ url: config.messaging.url, logger, connectionName: 'orderflow-workers' });
  const workers = await startCheckoutWorkers({
    zeebe,
    connection,
    names: topologyNames(config.messaging.prefix),
    logger,
    jobWorker: { jobTimeoutMs: config.jobTimeoutMs },
    bridge: { messageTimeToLiveMs: config.messageTimeToLiveMs },
  });
  logger.info({ zeebeAddress: process.env.ZEEBE_GRPC_ADDRESS, jobTypes: workers.jobWorkers.map((worker) => worker.jobType), bridgeQueue: workers.bridge.queue.queue }, 'workers started');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal while closing means the operator wants out now.
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'workers stopping');
    const closeAll = async () => {
      await workers.close();
      await zeebe.close();
      await connection.close();
    };
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
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  pino({ name: 'orderflow-workers' }).fatal({ err: error }, 'workers failed to start');
  process.exit(1);
});
