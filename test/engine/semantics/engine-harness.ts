/**
 * What the semantics tests share: an in-memory embedded engine, fixtures deployed by file name,
 * every appended record collected, and bounded waits on the record stream instead of sleeps.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ElementIntent, ValueType, type EngineRecord } from '../../../infra/engine/core/records.js';
import type { ActivatedJob, CreatedProcessInstance, DeploymentResult, Variables } from '../../../infra/engine/engine-api.js';
import { openEmbeddedEngine, type EmbeddedEngine } from '../../../infra/engine/embedded-engine.js';

export type RecordPredicate = (record: EngineRecord) => boolean;

/** An instant to pin the clock at, so timer due dates in tests are exact. */
export const PINNED_NOW = Date.parse('2025-01-01T00:00:00Z');

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/semantics/${name}`, import.meta.url));
}

export async function readFixture(name: string): Promise<Buffer> {
  return readFile(fixturePath(name));
}

export class EngineHarness {
  readonly records: EngineRecord[] = [];
  private waiters = new Set<() => void>();

  constructor(readonly engine: EmbeddedEngine) {
    engine.onRecords((records) => {
      this.records.push(...records);
      for (const wake of this.waiters) wake();
    });
  }

  async deploy(...fileNames: string[]): Promise<DeploymentResult> {
    const resources = await Promise.all(fileNames.map(async (name) => ({ name, content: await readFixture(name) })));
    return this.engine.deployResources(resources);
  }

  async start(bpmnProcessId: string, variables: Variables = {}): Promise<CreatedProcessInstance & { key: number }> {
    const created = await this.engine.createProcessInstance({ bpmnProcessId, variables });
    return { ...created, key: Number(created.processInstanceKey) };
  }

  /** The first collected record matching, waiting for it at most `timeoutMs`. */
  waitForRecord(predicate: RecordPredicate, timeoutMs = 5_000): Promise<EngineRecord> {
    const found = this.records.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = (): void => {
        const record = this.records.find(predicate);
        if (record) {
          done();
          resolve(record);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`Expected a matching record within ${timeoutMs} ms, but none was appended`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Waits until the element reached the lifecycle intent in the given instance. */
  waitForElement(processInstanceKey: number, elementId: string, intent: string = ElementIntent.ELEMENT_COMPLETED): Promise<EngineRecord> {
    return this.waitForRecord(isElement(processInstanceKey, elementId, intent));
  }

  waitForCompletion(processInstanceKey: number): Promise<EngineRecord> {
    return this.waitForRecord((r) => r.valueType === ValueType.PROCESS_INSTANCE && r.key === processInstanceKey && r.intent === ElementIntent.ELEMENT_COMPLETED);
  }

  waitForIncident(processInstanceKey: number): Promise<EngineRecord> {
    return this.waitForRecord((r) => r.valueType === ValueType.INCIDENT && r.intent === 'CREATED' && r.value.processInstanceKey === processInstanceKey);
  }

  /** Activates one job of the type, waiting until one is created; fails if none comes. */
  async activateJob(type: string, options: { timeoutMs?: number; fetchVariables?: string[] } = {}): Promise<ActivatedJob> {
    await this.waitForRecord((r) => r.valueType === ValueType.JOB && r.intent === 'CREATED' && r.value.type === type);
    const [job] = await this.engine.activateJobs({ type, worker: 'semantics-test', timeoutMs: options.timeoutMs ?? 60_000, maxJobsToActivate: 1, fetchVariables: options.fetchVariables ?? [] });
    if (!job) throw new Error(`Expected an activatable job of type '${type}', but there was none`);
    return job;
  }

  /** Activates and completes one job of the type with the variables. */
  async completeJob(type: string, variables: Variables = {}): Promise<ActivatedJob> {
    const job = await this.activateJob(type);
    await this.engine.completeJob(job.key, variables);
    return job;
  }

  /** Element ids of the instance that reached the intent, in record order. */
  elementsWith(processInstanceKey: number, intent: string): string[] {
    return this.records
      .filter((r) => r.valueType === ValueType.PROCESS_INSTANCE && r.intent === intent && r.value.processInstanceKey === processInstanceKey)
      .map((r) => r.value.elementId as string);
  }

  /** Collected records of a value type and intent, e.g. every CREATED incident. */
  recordsOf(valueType: string, intent: string): EngineRecord[] {
    return this.records.filter((r) => r.valueType === valueType && r.intent === intent);
  }

  /** The last value the record stream shows for a variable of a scope (also after the instance ended). */
  variable(scopeKey: number, name: string): unknown {
    const updates = this.records.filter((r) => r.valueType === ValueType.VARIABLE && r.value.scopeKey === scopeKey && r.value.name === name);
    return updates.at(-1)?.value.value;
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

export function isElement(processInstanceKey: number, elementId: string, intent: string): RecordPredicate {
  return (r) => r.valueType === ValueType.PROCESS_INSTANCE && r.intent === intent && r.value.processInstanceKey === processInstanceKey && r.value.elementId === elementId;
}

export async function startHarness(options: { pinClock?: boolean } = {}): Promise<EngineHarness> {
  const engine = await openEmbeddedEngine();
  if (options.pinClock) engine.clock.pin(PINNED_NOW);
  return new EngineHarness(engine);
}
