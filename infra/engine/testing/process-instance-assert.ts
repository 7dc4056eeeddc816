/**
 * Assertions on a process instance in the spirit of Camunda Process Test: each one re-reads the
 * record log until its condition holds, or fails after a bounded wait (10 s unless configured)
 * with a message showing what it observed. No idle detection: a test states what it expects.
 */
import { isDeepStrictEqual } from 'node:util';
import { ProcessInstanceAssertionError } from './errors.js';
import {
  describeObservation,
  InstanceState,
  observeProcessInstance,
  type ProcessInstanceObservation,
} from './process-instance-observation.js';
import type { RecordLog } from './record-log.js';

export const DEFAULT_ASSERTION_TIMEOUT_MS = 10_000;

/** What an assertion needs of the test engine; {@link TestEngine} is one. */
export interface AssertionSource {
  readonly records: RecordLog;
  readonly assertionTimeoutMs: number;
}

export interface AssertionOptions {
  /** Longest the assertion waits for its condition; the test engine's default (10 s) unless given. */
  waitMs?: number;
}

/** A process instance key, or what `createInstance` returned. */
export type ProcessInstanceRef = string | number | { processInstanceKey: string | number };

/** A condition on the observation: undefined when it holds, else what was expected. */
type Check = (observed: ProcessInstanceObservation) => string | undefined;

/**
 * Chained checks, run in order when awaited:
 * `await assertThatProcessInstance(kit, instance).isCompleted().hasVariable('paid', true)`.
 */
export class ProcessInstanceAssert implements PromiseLike<void> {
  private readonly key: number;
  private checks: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: AssertionSource,
    instance: ProcessInstanceRef,
    private readonly options: AssertionOptions = {},
  ) {
    this.key = Number(typeof instance === 'object' ? instance.processInstanceKey : instance);
  }

  isActive(): this {
    return this.until((o) => (o.state === InstanceState.ACTIVE ? undefined : 'to be active'));
  }

  isCompleted(): this {
    return this.until((o) => (o.state === InstanceState.COMPLETED ? undefined : 'to be completed'));
  }

  isTerminated(): this {
    return this.until((o) => (o.state === InstanceState.TERMINATED ? undefined : 'to be terminated'));
  }

  /** Each element completed at least once, in any order. */
  hasPassedElements(...elementIds: string[]): this {
    return this.until((o) => (elementIds.every((id) => o.completedElements.includes(id)) ? undefined : `to have passed elements ${quote(elementIds)}`));
  }

  /** The elements completed in this order, other elements possibly in between. */
  hasPassedElementsInOrder(...elementIds: string[]): this {
    return this.until((o) => (isSubsequence(elementIds, o.completedElements) ? undefined : `to have passed elements ${quote(elementIds)} in order`));
  }

  /** Each element has an active instance: a task with its job, a catch event with its subscription. */
  isWaitingAtElements(...elementIds: string[]): this {
    return this.until((o) => (elementIds.every((id) => o.activeElements.includes(id)) ? undefined : `to be waiting at elements ${quote(elementIds)}`));
  }

  isWaitingForMessage(messageName: string, correlationKey?: string): this {
    const expected = `to be waiting for message '${messageName}'${correlationKey === undefined ? '' : ` with correlation key '${correlationKey}'`}`;
    return this.until((o) =>
      o.openMessageSubscriptions.some((s) => s.messageName === messageName && (correlationKey === undefined || s.correlationKey === correlationKey)) ? undefined : expected,
    );
  }

  hasCorrelatedMessage(messageName: string): this {
    return this.until((o) => (o.correlatedMessages.includes(messageName) ? undefined : `to have correlated message '${messageName}'`));
  }

  hasActiveIncidents(): this {
    return this.until((o) => (o.activeIncidents.length > 0 ? undefined : 'to have active incidents'));
  }

  hasNoActiveIncidents(): this {
    return this.until((o) => (o.activeIncidents.length === 0 ? undefined : 'to have no active incidents'));
  }

  /** The variable in the instance's root scope deep-equals `value`. */
  hasVariable(name: string, value: unknown): this {
    return this.until((o) =>
      o.variables.has(name) && isDeepStrictEqual(o.variables.get(name), value) ? undefined : `to have variable '${name}' = ${JSON.stringify(value)}`,
    );
  }

  /** Lets `await` run the queued checks in order; resolves when all held, rejects at the first that did not. */
  then<TResult1 = void, TResult2 = never>(
    onFulfilled?: ((value: void) => TResult1 | PromiseLike<TResult1>) | null,
    onRejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.checks.then(onFulfilled, onRejected);
  }

  private until(check: Check): this {
    this.checks = this.checks.then(() => this.poll(check));
    return this;
  }

  private async poll(check: Check): Promise<void> {
    const waitMs = this.options.waitMs ?? this.source.assertionTimeoutMs;
    const deadline = performance.now() + waitMs;
    for (;;) {
      const observed = observeProcessInstance(this.source.records.all(), this.key);
      const expected = check(observed);
      if (expected === undefined) return;
      const left = deadline - performance.now();
      if (left <= 0) throw this.failure(expected, observed, waitMs);
      await this.source.records.nextChange(left);
    }
  }

  private failure(expected: string, observed: ProcessInstanceObservation, waitMs: number): ProcessInstanceAssertionError {
    const description = describeObservation(observed);
    return new ProcessInstanceAssertionError(
      `Expected process instance '${this.key}' ${expected} within ${waitMs} ms, but it was not. Observed:\n  ${description}`,
      { processInstanceKey: String(this.key), waitedMs: waitMs, observed: description },
    );
  }
}

/**
 * Starts an assertion on a process instance: `await assertThatProcessInstance(kit, instance).isCompleted()`.
 * Each check rejects with a {@link ProcessInstanceAssertionError} when it does not hold within the wait.
 */
export function assertThatProcessInstance(source: AssertionSource, instance: ProcessInstanceRef, options?: AssertionOptions): ProcessInstanceAssert {
  return new ProcessInstanceAssert(source, instance, options);
}

function quote(ids: string[]): string {
  return ids.map((id) => `'${id}'`).join(', ');
}

function isSubsequence(wanted: string[], seen: string[]): boolean {
  let next = 0;
  for (const id of seen) if (id === wanted[next]) next++;
  return next >= wanted.length;
}
