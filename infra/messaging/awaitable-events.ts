import { EventEmitter } from 'node:events';

interface Waiter {
  count: number;
  resolve: () => void;
}

/**
 * Counts what a component did so tests (and health checks) can await it instead of sleeping:
 * `await consumer.waitFor('ack', 3)` resolves once three acks have happened since start.
 */
export class AwaitableEvents<Events extends Record<string, object>> extends EventEmitter {
  private readonly counts = new Map<keyof Events, number>();
  // Bounded so a long-running consumer does not keep every ack it ever made.
  private readonly history = new Map<keyof Events, object[]>();
  private readonly historyLimit = 10_000;
  private readonly waiters = new Map<keyof Events, Waiter[]>();

  /** Resolves with the recorded occurrences once `count` have happened since start; rejects after `timeoutMs`. */
  async waitFor<E extends keyof Events & string>(event: E, count = 1, timeoutMs = 10_000): Promise<Events[E][]> {
    if (this.countOf(event) < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`Expected ${count} '${event}' events within ${timeoutMs} ms, but saw ${this.countOf(event)}`));
        }, timeoutMs);
        const waiters = this.waiters.get(event) ?? [];
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
        this.waiters.set(event, waiters);
      });
    }
    return this.occurrences(event);
  }

  countOf(event: keyof Events & string): number {
    return this.counts.get(event) ?? 0;
  }

  occurrences<E extends keyof Events & string>(event: E): Events[E][] {
    return [...((this.history.get(event) ?? []) as Events[E][])];
  }

  protected record<E extends keyof Events & string>(event: E, detail: Events[E]): void {
    const count = this.countOf(event) + 1;
    this.counts.set(event, count);
    const seen = this.history.get(event) ?? [];
    seen.push(detail);
    if (seen.length > this.historyLimit) seen.shift();
    this.history.set(event, seen);
    const waiting = this.waiters.get(event) ?? [];
    this.waiters.set(event, waiting.filter((waiter) => waiter.count > count));
    for (const waiter of waiting) if (waiter.count <= count) waiter.resolve();
    this.emit(event, detail);
  }
}
