/**
 * The engine's Prometheus metrics, computed from the records each batch appended (as Zeebe's
 * metrics exporter does), never from inside the processing core. Names and labels follow Zeebe's
 * where Zeebe has the metric (docs.camunda.io, "Zeebe › Operations › Metrics"); the rest are
 * `orderflow_engine_…`. Latencies are measured on the engine's clock, so a test's pinned clock
 * gives zeros and an advanced one gives the advance.
 */
import { Counter, Gauge, type Histogram, type Registry } from 'prom-client';
import { latencyBuckets, secondsHistogram } from '../../../lib/metrics/index.js';
import { ElementIntent, RecordType, ValueType, type EngineRecord } from '../core/records.js';
import { BatchTally, LabelledSeries } from './labelled-series.js';

type CounterChild = Counter.Internal;
type GaugeChild = Gauge.Internal<string>;
type HistogramChild = Histogram.Internal<string>;

/** Zeebe's `action` label values of job events. */
const jobActions: Readonly<Record<string, string>> = {
  CREATED: 'created',
  COMPLETED: 'completed',
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  ERROR_THROWN: 'error thrown',
  CANCELED: 'canceled',
};

const elementActions: Readonly<Record<string, string>> = {
  [ElementIntent.ELEMENT_ACTIVATED]: 'activated',
  [ElementIntent.ELEMENT_COMPLETED]: 'completed',
  [ElementIntent.ELEMENT_TERMINATED]: 'terminated',
};

const processInstanceActions: Readonly<Record<string, string>> = {
  [ElementIntent.ELEMENT_ACTIVATED]: 'created',
  [ElementIntent.ELEMENT_COMPLETED]: 'completed',
  [ElementIntent.ELEMENT_TERMINATED]: 'terminated',
};

/**
 * Open jobs and buffered messages whose start time is remembered for a latency. Past this many the
 * oldest is forgotten (its latency is not observed), so a stuck worker cannot grow the map forever.
 */
const MAX_REMEMBERED = 100_000;

export class EngineMetrics {
  private readonly recordsWritten: CounterChild;
  private readonly elementEvents: LabelledSeries<CounterChild>;
  private readonly processInstances: LabelledSeries<CounterChild>;
  private readonly activeInstances: LabelledSeries<GaugeChild>;
  private readonly jobEvents: LabelledSeries<CounterChild>;
  private readonly jobLifeTime: LabelledSeries<HistogramChild>;
  private readonly jobActivationTime: LabelledSeries<HistogramChild>;
  private readonly jobExecutionTime: LabelledSeries<HistogramChild>;
  private readonly messageCorrelationTime: HistogramChild;
  private readonly incidentEvents: LabelledSeries<CounterChild>;
  private readonly pendingIncidents: Gauge;
  private readonly counts = new BatchTally<CounterChild | GaugeChild>();
  /** Job key → when the job was created. */
  private readonly jobCreatedAt = new Map<number, number>();
  /** Message key → when the message was published. */
  private readonly messagePublishedAt = new Map<number, number>();
  /** Messages without a time to live: correlated in their own batch or never, so forgotten after it. */
  private readonly unbufferedMessages: number[] = [];

  constructor(registry: Registry) {
    const registers = [registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers });
    this.recordsWritten = counter('zeebe_stream_processor_records_total', 'Records written to the record log', ['action']).labels('written');
    const elementEvents = counter('zeebe_element_instance_events_total', 'Element instances activated, completed and terminated, by BPMN element type', ['action', 'type']);
    this.elementEvents = new LabelledSeries((action, type) => elementEvents.labels(action, type));
    const processInstances = counter('orderflow_engine_process_instances_total', 'Process instances created, completed and terminated, by process id', ['action', 'bpmnProcessId']);
    this.processInstances = new LabelledSeries((action, id) => processInstances.labels(action, id));
    const active = new Gauge({ name: 'orderflow_engine_process_instances_active', help: 'Process instances not yet completed or terminated, by process id', labelNames: ['bpmnProcessId'], registers });
    this.activeInstances = new LabelledSeries((id) => active.labels(id));
    const jobEvents = counter('zeebe_job_events_total', 'Job events, by action and job type', ['action', 'type']);
    this.jobEvents = new LabelledSeries((action, type) => jobEvents.labels(action, type));
    const histogram = (name: string, help: string, labelNames: string[]) => secondsHistogram(registry, { name, help, labelNames, buckets: latencyBuckets });
    const lifeTime = histogram('zeebe_job_life_time', 'Seconds from job creation to completion, by job type', ['type']);
    this.jobLifeTime = new LabelledSeries((type) => lifeTime.labels(type));
    const activationTime = histogram('zeebe_job_activation_time', 'Seconds from job creation to activation by a worker, by job type', ['type']);
    this.jobActivationTime = new LabelledSeries((type) => activationTime.labels(type));
    const executionTime = histogram('orderflow_engine_job_execution_time', 'Seconds from job activation to completion (time spent in the worker), by job type', ['type']);
    this.jobExecutionTime = new LabelledSeries((type) => executionTime.labels(type));
    this.messageCorrelationTime = histogram('orderflow_engine_message_correlation_time', 'Seconds from a message being published to its first correlation', []).labels();
    const incidentEvents = counter('zeebe_incident_events_total', 'Incidents created and resolved', ['action']);
    this.incidentEvents = new LabelledSeries((action) => incidentEvents.labels(action));
    this.pendingIncidents = new Gauge({ name: 'zeebe_pending_incidents_total', help: 'Incidents created and not yet resolved', registers });
  }

  /** Sets the gauges from what the store holds at start: instances and incidents outlive a restart. */
  seed(activeByProcess: ReadonlyMap<string, number>, openIncidents: number): void {
    for (const [bpmnProcessId, count] of activeByProcess) this.activeInstances.get(bpmnProcessId).set(count);
    this.pendingIncidents.set(openIncidents);
  }

  /** Everything one committed batch appended. */
  observe(records: readonly EngineRecord[]): void {
    this.counts.add(this.recordsWritten, records.length);
    for (const record of records) {
      if (record.recordType !== RecordType.EVENT) continue;
      switch (record.valueType) {
        case ValueType.PROCESS_INSTANCE: this.onElement(record); break;
        case ValueType.JOB: this.onJob(record); break;
        case ValueType.JOB_BATCH: this.onJobBatch(record); break;
        case ValueType.MESSAGE: this.onMessage(record); break;
        case ValueType.MESSAGE_SUBSCRIPTION: this.onCorrelation(record); break;
        case ValueType.INCIDENT: this.onIncident(record); break;
      }
    }
    for (const key of this.unbufferedMessages) this.messagePublishedAt.delete(key);
    this.unbufferedMessages.length = 0;
    this.counts.apply();
  }

  private onElement(record: EngineRecord): void {
    const action = elementActions[record.intent];
    if (action === undefined) return;
    const value = record.value as { bpmnElementType: string; bpmnProcessId: string };
    this.counts.add(this.elementEvents.get(action, value.bpmnElementType));
    if (value.bpmnElementType !== 'PROCESS') return;
    this.counts.add(this.processInstances.get(processInstanceActions[record.intent]!, value.bpmnProcessId));
    this.counts.add(this.activeInstances.get(value.bpmnProcessId), action === 'activated' ? 1 : -1);
  }

  private onJob(record: EngineRecord): void {
    const action = jobActions[record.intent];
    if (action === undefined) return;
    const job = record.value as { type: string; deadline: number; timeout: number };
    this.counts.add(this.jobEvents.get(action, job.type));
    const at = record.timestamp;
    switch (record.intent) {
      case 'CREATED':
        remember(this.jobCreatedAt, record.key, at);
        break;
      case 'COMPLETED': {
        const created = this.jobCreatedAt.get(record.key);
        if (created !== undefined) this.jobLifeTime.get(job.type).observe(seconds(at - created));
        // The activation's deadline is its time plus the job's timeout: no map needed for it.
        if (job.deadline > 0 && job.timeout > 0) this.jobExecutionTime.get(job.type).observe(seconds(at - (job.deadline - job.timeout)));
        this.jobCreatedAt.delete(record.key);
        break;
      }
      case 'CANCELED':
        this.jobCreatedAt.delete(record.key);
        break;
    }
  }

  /** Zeebe counts an activation per job of the batch. */
  private onJobBatch(record: EngineRecord): void {
    if (record.intent !== 'ACTIVATED') return;
    const batch = record.value as { type: string; jobKeys: number[] };
    if (batch.jobKeys.length === 0) return;
    this.counts.add(this.jobEvents.get('activated', batch.type), batch.jobKeys.length);
    const histogram = this.jobActivationTime.get(batch.type);
    for (const key of batch.jobKeys) {
      const created = this.jobCreatedAt.get(key);
      if (created !== undefined) histogram.observe(seconds(record.timestamp - created));
    }
  }

  private onMessage(record: EngineRecord): void {
    if (record.intent === 'PUBLISHED') {
      remember(this.messagePublishedAt, record.key, record.timestamp);
      if (!((record.value as { timeToLive: number }).timeToLive > 0)) this.unbufferedMessages.push(record.key);
    } else if (record.intent === 'EXPIRED') {
      this.messagePublishedAt.delete(record.key);
    }
  }

  private onCorrelation(record: EngineRecord): void {
    if (record.intent !== 'CORRELATED') return;
    const messageKey = (record.value as { messageKey: number }).messageKey;
    const published = this.messagePublishedAt.get(messageKey);
    if (published === undefined) return;
    this.messageCorrelationTime.observe(seconds(record.timestamp - published));
    this.messagePublishedAt.delete(messageKey);
  }

  private onIncident(record: EngineRecord): void {
    if (record.intent === 'CREATED') {
      this.counts.add(this.incidentEvents.get('created'));
      this.pendingIncidents.inc();
    } else if (record.intent === 'RESOLVED') {
      this.counts.add(this.incidentEvents.get('resolved'));
      this.pendingIncidents.dec();
    }
  }
}

function remember(map: Map<number, number>, key: number, at: number): void {
  if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value!);
  map.set(key, at);
}

function seconds(milliseconds: number): number {
  return Math.max(0, milliseconds) / 1000;
}
