/**
 * Drives one checkout instance on the embedded engine the way the workers and the message bridge
 * would (complete a command job, publish a service event, let time pass), and reads the record
 * log the engine appends. Waits are bounded and follow the record stream, never sleeps.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ElementIntent, ValueType, type EngineRecord } from '../../infra/engine/core/records.js';
import type { ActivatedJob, Variables } from '../../infra/engine/engine-api.js';
import { openEmbeddedEngine, type EmbeddedEngine } from '../../infra/engine/embedded-engine.js';

export const CHECKOUT_BPMN = fileURLToPath(new URL('../../processes/checkout.bpmn', import.meta.url));
const PINNED_NOW = Date.parse('2026-01-05T09:00:00Z');
const WAIT_MS = 3_000;

export const minutes = (n: number): number => n * 60_000;
export const days = (n: number): number => n * 24 * 60 * 60_000;

type Predicate = (record: EngineRecord) => boolean;

export class CheckoutDriver {
  readonly records: EngineRecord[] = [];
  private readonly wakers = new Set<() => void>();
  private processInstanceKey = -1;

  private constructor(readonly engine: EmbeddedEngine, readonly orderId: string) {
    engine.onRecords((records) => {
      this.records.push(...records);
      for (const wake of this.wakers) wake();
    });
  }

  /** An in-memory engine with a pinned clock and checkout.bpmn deployed. */
  static async open(orderId = 'order-1'): Promise<CheckoutDriver> {
    const engine = await openEmbeddedEngine();
    engine.clock.pin(PINNED_NOW);
    await engine.deployResources([{ name: 'checkout.bpmn', content: await readFile(CHECKOUT_BPMN) }]);
    return new CheckoutDriver(engine, orderId);
  }

  async placeOrder(variables: Variables = {}): Promise<void> {
    const created = await this.engine.createProcessInstance({ bpmnProcessId: 'checkout', variables: { orderId: this.orderId, ...variables } });
    this.processInstanceKey = Number(created.processInstanceKey);
  }

  /** Waits for the next not yet handled job of the type, then completes it as its worker would. */
  async completeCommand(type: string, variables: Variables = {}): Promise<ActivatedJob> {
    const job = await this.activateCommand(type);
    await this.engine.completeJob(job.key, variables);
    return job;
  }

  /** Waits for the next not yet handled job of the type and activates it: a worker holds it, not yet completed. */
  async activateCommand(type: string): Promise<ActivatedJob> {
    await this.waitFor((r) => this.isOwnJob(r, type) && r.intent === 'CREATED', `a '${type}' job`);
    const [job] = await this.engine.activateJobs({ type, worker: 'checkout-paths-test', timeoutMs: minutes(60), maxJobsToActivate: 1 });
    if (!job) throw new Error(`Expected an activatable '${type}' job, but there was none`);
    return job;
  }

  /** Waits until the process waits at the element, then publishes the service event. */
  async publishWhenWaiting(waitingElementId: string, messageName: string, variables: Variables = {}): Promise<void> {
    await this.waitForElement(waitingElementId, ElementIntent.ELEMENT_ACTIVATED);
    await this.engine.publishMessage({ name: messageName, correlationKey: this.orderId, variables });
  }

  /** Lets time pass once the process waits at the element (a timer's gateway or catch event). */
  async passTimeWhenWaiting(waitingElementId: string, millis: number): Promise<void> {
    await this.waitForElement(waitingElementId, ElementIntent.ELEMENT_ACTIVATED);
    this.engine.clock.add(millis);
  }

  waitForElement(elementId: string, intent: string = ElementIntent.ELEMENT_COMPLETED, occurrence = 1): Promise<EngineRecord> {
    const matches = (r: EngineRecord) => this.isOwnElement(r, intent) && r.value.elementId === elementId;
    return this.waitFor((r) => matches(r) && this.records.filter(matches).indexOf(r) === occurrence - 1, `${elementId} ${intent} #${occurrence}`);
  }

  waitForEnd(): Promise<EngineRecord> {
    return this.waitFor((r) => r.valueType === ValueType.PROCESS_INSTANCE && r.key === this.processInstanceKey && r.intent === ElementIntent.ELEMENT_COMPLETED, 'the instance to complete');
  }

  waitForIncident(): Promise<EngineRecord> {
    return this.waitFor((r) => r.valueType === ValueType.INCIDENT && r.intent === 'CREATED' && r.value.processInstanceKey === this.processInstanceKey, 'an incident');
  }

  /** Element ids of this instance that reached the intent, in record order. */
  elements(intent: string = ElementIntent.ELEMENT_COMPLETED): string[] {
    return this.records.filter((r) => this.isOwnElement(r, intent)).map((r) => r.value.elementId as string);
  }

  /** Job types created for this instance, in record order. */
  jobTypes(): string[] {
    return this.records.filter((r) => r.valueType === ValueType.JOB && r.intent === 'CREATED' && r.value.processInstanceKey === this.processInstanceKey).map((r) => r.value.type as string);
  }

  /** The last value the record log shows for a process-level variable. */
  variable(name: string): unknown {
    return this.records.filter((r) => r.valueType === ValueType.VARIABLE && r.value.scopeKey === this.processInstanceKey && r.value.name === name).at(-1)?.value.value;
  }

  get instanceKey(): string {
    return String(this.processInstanceKey);
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  private isOwnElement(r: EngineRecord, intent: string): boolean {
    return r.valueType === ValueType.PROCESS_INSTANCE && r.intent === intent && r.value.processInstanceKey === this.processInstanceKey;
  }

  private isOwnJob(r: EngineRecord, type: string): boolean {
    if (r.valueType !== ValueType.JOB || r.value.type !== type || r.value.processInstanceKey !== this.processInstanceKey) return false;
    // The nth CREATED job of a type is "next" once n-1 of them were completed by this driver.
    const created = this.records.filter((c) => c.valueType === ValueType.JOB && c.intent === 'CREATED' && c.value.type === type && c.value.processInstanceKey === this.processInstanceKey);
    const completed = this.records.filter((c) => c.valueType === ValueType.JOB && c.intent === 'COMPLETED' && c.value.type === type && c.value.processInstanceKey === this.processInstanceKey);
    return created.indexOf(r) === completed.length;
  }

  private waitFor(predicate: Predicate, what: string): Promise<EngineRecord> {
    const found = this.records.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const record = this.records.find(predicate);
        if (!record) return;
        clearTimeout(timer);
        this.wakers.delete(check);
        resolve(record);
      };
      const timer = setTimeout(() => {
        this.wakers.delete(check);
        const incidents = this.records.filter((r) => r.valueType === ValueType.INCIDENT && r.intent === 'CREATED').map((r) => `${r.value.elementId as string}: ${r.value.errorMessage as string}`);
        reject(new Error(`Expected ${what} within ${WAIT_MS} ms, but it did not happen. Completed so far: ${this.elements().join(', ')}${incidents.length ? `. Incidents: ${incidents.join('; ')}` : ''}`));
      }, WAIT_MS);
      this.wakers.add(check);
    });
  }
}
