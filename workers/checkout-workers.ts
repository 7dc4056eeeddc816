/** Starts every checkout job worker and the message bridge on one Zeebe client and one broker connection. */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Publisher, type Consumer, type RabbitConnection, type TopologyNames } from '../infra/messaging/index.js';
import { startJobWorker, type JobWorkerOptions, type RunningJobWorker } from './job-worker-runner.js';
import { checkoutJobWorkers } from './job-workers.js';
import { startMessageBridge, type MessageBridgeOptions } from './message-bridge.js';
import { WorkerMetrics } from './worker-metrics.js';
import type { ZeebeGrpcClient } from './zeebe-client.js';

export interface CheckoutWorkersOptions {
  zeebe: ZeebeGrpcClient;
  connection: RabbitConnection;
  names: TopologyNames;
  logger: Logger;
  jobWorker?: Omit<JobWorkerOptions, 'zeebe' | 'publisher' | 'logger'>;
  bridge?: Omit<MessageBridgeOptions, 'zeebe' | 'connection' | 'names' | 'logger' | 'metrics'>;
  /** The workers process's registry: jobs, the publisher and the bridge's consumer are measured on it. */
  metrics?: Registry;
}

export interface CheckoutWorkers {
  readonly publisher: Publisher;
  readonly bridge: Consumer;
  readonly jobWorkers: readonly RunningJobWorker[];
  /** Stops taking jobs and events, lets what is in progress finish, and closes the publisher. Leaves the connection and client open. */
  close(): Promise<void>;
}

export async function startCheckoutWorkers(options: CheckoutWorkersOptions): Promise<CheckoutWorkers> {
  const { zeebe, connection, names, logger, metrics } = options;
  const publisher = await Publisher.create({ connection, names, logger, metrics });
  const workerMetrics = metrics && new WorkerMetrics(metrics);
  const jobWorkers = await Promise.all(checkoutJobWorkers.map((definition) => startJobWorker(definition, { ...options.jobWorker, zeebe, publisher, logger, metrics: workerMetrics })));
  const bridge = await startMessageBridge({ ...options.bridge, zeebe, connection, names, logger, metrics });
  return {
    publisher,
    bridge,
    jobWorkers,
    async close() {
      for (const worker of jobWorkers) worker.close();
      await bridge.stop();
      await publisher.close();
    },
  };
}
