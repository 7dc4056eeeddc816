import { Counter, type Histogram, type Registry } from 'prom-client';
import { latencyBuckets, secondsHistogram } from '../../lib/metrics/index.js';
import { MessagingError, MessagingErrorCode } from './errors.js';

/** How a sent publish ended: `confirmed` by RabbitMQ, or why not. Publishes refused before sending (invalid, buffer full) are not counted. */
export const PublishOutcome = {
  CONFIRMED: 'confirmed',
  NACKED: 'nacked',
  UNROUTABLE: 'unroutable',
  TIMED_OUT: 'timed_out',
  FAILED: 'failed',
} as const;
export type PublishOutcome = (typeof PublishOutcome)[keyof typeof PublishOutcome];

const outcomeByCode: Partial<Record<MessagingErrorCode, PublishOutcome>> = {
  [MessagingErrorCode.PUBLISH_NACKED]: PublishOutcome.NACKED,
  [MessagingErrorCode.PUBLISH_UNROUTABLE]: PublishOutcome.UNROUTABLE,
  [MessagingErrorCode.PUBLISH_TIMEOUT]: PublishOutcome.TIMED_OUT,
};

/** A type label for a message that did not decode (poison). */
const UNKNOWN_TYPE = 'unknown';

/** What the publisher and consumers of one process did, on that process's registry. */
export class MessagingMetrics {
  private readonly published: Counter<'exchange' | 'type' | 'outcome'>;
  private readonly consumed: Counter<'queue' | 'type'>;
  private readonly retried: Counter<'queue' | 'type'>;
  private readonly deadLettered: Counter<'queue' | 'type' | 'code'>;
  private readonly consumeLatency: Histogram<'queue' | 'type'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.published = new Counter({ name: 'orderflow_messages_published_total', help: 'Messages published, by how the broker answered', labelNames: ['exchange', 'type', 'outcome'], registers });
    this.consumed = new Counter({ name: 'orderflow_messages_consumed_total', help: 'Messages handled and acked', labelNames: ['queue', 'type'], registers });
    this.retried = new Counter({ name: 'orderflow_messages_retried_total', help: 'Messages whose handler failed and that wait in the retry queue', labelNames: ['queue', 'type'], registers });
    this.deadLettered = new Counter({ name: 'orderflow_messages_dead_lettered_total', help: 'Messages moved to the dead-letter queue, by reason code', labelNames: ['queue', 'type', 'code'], registers });
    this.consumeLatency = secondsHistogram(registry, {
      name: 'orderflow_message_consume_latency_seconds',
      help: "From the message's occurredAt to the end of its handler",
      labelNames: ['queue', 'type'],
      buckets: latencyBuckets,
    });
  }

  recordPublished(exchange: string, type: string, error?: unknown): void {
    const outcome = error === undefined ? PublishOutcome.CONFIRMED : error instanceof MessagingError ? (outcomeByCode[error.code] ?? PublishOutcome.FAILED) : PublishOutcome.FAILED;
    this.published.inc({ exchange, type, outcome });
  }

  recordConsumed(queue: string, type: string, occurredAt: string): void {
    this.consumed.inc({ queue, type });
    const occurred = Date.parse(occurredAt);
    // A sender's clock ahead of ours would give a negative latency; it is not one.
    if (Number.isFinite(occurred)) this.consumeLatency.observe({ queue, type }, Math.max(0, Date.now() - occurred) / 1000);
  }

  recordRetried(queue: string, type: string | undefined): void {
    this.retried.inc({ queue, type: type ?? UNKNOWN_TYPE });
  }

  recordDeadLettered(queue: string, type: string | undefined, code: string): void {
    this.deadLettered.inc({ queue, type: type ?? UNKNOWN_TYPE, code });
  }
}

const byRegistry = new WeakMap<Registry, MessagingMetrics>();

/** One set per registry: a process's publisher and consumers share its series. */
export function messagingMetricsFor(registry: Registry): MessagingMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = new MessagingMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
