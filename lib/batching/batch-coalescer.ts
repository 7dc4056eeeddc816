import type { Logger } from 'pino';
import { OrderflowError } from '../errors.js';

export interface BatchCoalescerOptions<I, O> {
  /** Applies items together (one transaction for all of them); resolves with one outcome per item, in their order. */
  applyBatch(items: I[]): Promise<O[]>;
  /**
   * Applies one item alone. A batch of one goes here, and so does every item of a batch that failed,
   * one after the other in their order: an item that fails alone fails only itself.
   */
  applyOne(item: I): Promise<O>;
  /** Items applied together at most. */
  maxBatchSize: number;
  logger: Logger;
}

export class BatchOutcomeMismatchError extends OrderflowError {
  constructor(items: number, outcomes: number) {
    super('BATCH_OUTCOME_MISMATCH', `Expected one outcome per item of the batch (${items}), but got ${outcomes}`, { items, outcomes });
  }
}

interface Waiting<I, O> {
  item: I;
  resolve(outcome: O): void;
  reject(error: unknown): void;
}

/**
 * Turns items submitted one by one into batches: what arrives in one event-loop turn, and whatever
 * arrives while a batch is being applied, goes into the next batch, so batches grow with the load
 * and a lone item waits for nothing. One batch is applied at a time, in submission order, so items
 * about the same thing are applied in the order they came.
 */
export class BatchCoalescer<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private draining = false;

  constructor(private readonly options: BatchCoalescerOptions<I, O>) {
    if (!(options.maxBatchSize >= 1)) throw new RangeError(`Expected maxBatchSize of at least 1, but got ${options.maxBatchSize}`);
  }

  /** Resolves with the item's outcome once the batch it went into was applied. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Deliveries that arrived in one socket read are handed over in one turn: let them all join.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) await this.apply(this.waiting.splice(0, this.options.maxBatchSize));
    this.draining = false;
  }

  private async apply(batch: Waiting<I, O>[]): Promise<void> {
    if (batch.length > 1) {
      let outcomes: O[] | undefined;
      try {
        outcomes = await this.options.applyBatch(batch.map((w) => w.item));
        if (outcomes.length !== batch.length) throw new BatchOutcomeMismatchError(batch.length, outcomes.length);
      } catch (error) {
        this.options.logger.warn({ err: error, items: batch.length }, 'batch failed, applying its items one at a time');
        outcomes = undefined;
      }
      if (outcomes) {
        batch.forEach((w, i) => w.resolve(outcomes[i]!));
        return;
      }
    }
    for (const w of batch) {
      try {
        w.resolve(await this.options.applyOne(w.item));
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
