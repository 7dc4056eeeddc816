import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BatchCoalescer } from '../../lib/batching/batch-coalescer.js';

const logger = pino({ level: 'silent' });

/** A coalescer over numbers that doubles them, recording what it was asked to apply and how. */
function recordingCoalescer(options: { maxBatchSize?: number; failBatches?: boolean; failItem?: number; gate?: Promise<void> } = {}) {
  const calls: { kind: 'batch' | 'one'; items: number[] }[] = [];
  const coalescer = new BatchCoalescer<number, number>({
    applyBatch: async (items) => {
      calls.push({ kind: 'batch', items });
      await options.gate;
      if (options.failBatches) throw new Error('batch refused');
      return items.map((n) => n * 2);
    },
    applyOne: async (item) => {
      calls.push({ kind: 'one', items: [item] });
      await options.gate;
      if (item === options.failItem) throw new Error(`item ${item} refused`);
      return item * 2;
    },
    maxBatchSize: options.maxBatchSize ?? 10,
    logger,
  });
  return { coalescer, calls };
}

describe('batch coalescer', () => {
  it('When items are submitted in one turn, then they are applied as one batch, in their order, each with its own outcome', async () => {
    const { coalescer, calls } = recordingCoalescer();

    const outcomes = await Promise.all([1, 2, 3].map((n) => coalescer.submit(n)));

    expect(outcomes).toEqual([2, 4, 6]);
    expect(calls).toEqual([{ kind: 'batch', items: [1, 2, 3] }]);
  });

  it('When a lone item is submitted, then it is applied alone', async () => {
    const { coalescer, calls } = recordingCoalescer();

    expect(await coalescer.submit(7)).toBe(14);
    expect(calls).toEqual([{ kind: 'one', items: [7] }]);
  });

  it('When items arrive while a batch is being applied, then they wait and go together into the next batch', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { coalescer, calls } = recordingCoalescer({ gate });
    const first = coalescer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));

    const later = [2, 3, 4].map((n) => coalescer.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    open();

    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6, 8]);
    expect(calls).toEqual([{ kind: 'one', items: [1] }, { kind: 'batch', items: [2, 3, 4] }]);
  });

  it('When more items wait than a batch may hold, then they are applied in batches of at most that many, in order', async () => {
    const { coalescer, calls } = recordingCoalescer({ maxBatchSize: 2 });

    await Promise.all([1, 2, 3, 4, 5].map((n) => coalescer.submit(n)));

    expect(calls.map((c) => c.items)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('When a batch fails, then its items are applied one at a time, in order, and only the one that fails alone is rejected', async () => {
    const { coalescer, calls } = recordingCoalescer({ failBatches: true, failItem: 2 });

    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => coalescer.submit(n)));

    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('item 2 refused') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(calls).toEqual([{ kind: 'batch', items: [1, 2, 3] }, { kind: 'one', items: [1] }, { kind: 'one', items: [2] }, { kind: 'one', items: [3] }]);
  });

  it('When a batch answers with fewer outcomes than items, then its items are applied one at a time', async () => {
    const coalescer = new BatchCoalescer<number, number>({
      applyBatch: async (items) => items.slice(1),
      applyOne: async (item) => item + 100,
      maxBatchSize: 10,
      logger,
    });

    expect(await Promise.all([1, 2].map((n) => coalescer.submit(n)))).toEqual([101, 102]);
  });

  it('When a batch may hold no item, then the coalescer is refused', () => {
    expect(() => new BatchCoalescer<number, number>({ applyBatch: async () => [], applyOne: async () => 0, maxBatchSize: 0, logger })).toThrow(RangeError);
  });
});
