/**
 * What a test needs to run the Order service against a test engine and a random messaging prefix:
 * its `@camunda8/sdk` settings, and the removal of the queues it leaves behind.
 */
import amqp from 'amqplib';
import { commandServices, deleteTopology, eventTypes, resolveConsumerQueue, type ConsumerQueue, type TopologyNames } from '../../infra/messaging/index.js';
import { ORDER_PROJECTION_SUBSCRIBER } from '../../services/order/entry-points/messaging/order-events-consumer.js';

const rabbitUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** The SDK settings for an engine at `grpcAddress`: plaintext, no auth, no client retries, quiet. */
export function testZeebeSettings(grpcAddress: string): Record<string, unknown> {
  return {
    ZEEBE_GRPC_ADDRESS: `grpc://${grpcAddress}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_LOG_LEVEL: 'none',
    CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
    zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
  };
}

/** Deletes the exchanges under `names` and the queues the Order service declared there, with `extraQueues` (other subscribers'). */
export async function deleteOrderServiceTopology(names: TopologyNames, extraQueues: ConsumerQueue[] = []): Promise<void> {
  const connection = await amqp.connect(rabbitUrl);
  try {
    const channel = await connection.createChannel();
    await deleteTopology(channel, names, [
      resolveConsumerQueue(names, { kind: 'events', subscriber: ORDER_PROJECTION_SUBSCRIBER, eventTypes }),
      ...extraQueues,
      ...commandServices.map((service) => resolveConsumerQueue(names, { kind: 'commands', service })),
    ]);
  } finally {
    await connection.close();
  }
}
