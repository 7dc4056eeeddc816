import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ValueType, type EngineRecord } from '../../../infra/engine/core/records.js';
import { openEmbeddedEngine, type EmbeddedEngine } from '../../../infra/engine/embedded-engine.js';

/** The message names of each committed batch, in commit order. */
function publishedPerBatch(engine: EmbeddedEngine): string[][] {
  const batches: string[][] = [];
  engine.onRecords((records: EngineRecord[]) => {
    const names = records
      .filter((r) => r.valueType === ValueType.MESSAGE && r.intent === 'PUBLISHED')
      .map((r) => (r.value as { name: string }).name);
    if (names.length > 0) batches.push(names);
  });
  return batches;
}

const publish = (engine: EmbeddedEngine, name: string) => engine.publishMessage({ name, correlationKey: 'k', timeToLiveMs: 60_000 });

describe('batch window', () => {
  let engine: EmbeddedEngine | undefined;
  afterEach(async () => engine?.close());

  it('gathers the commands that arrive within the window after a batch into one transaction', async () => {
    engine = await openEmbeddedEngine({ batchWindowMs: 1_000 });
    const batches = publishedPerBatch(engine);
    await publish(engine, 'first');
    const second = publish(engine, 'second');
    await sleep(50);
    const third = publish(engine, 'third');
    await Promise.all([second, third]);
    expect(batches).toEqual([['first'], ['second', 'third']]);
  });

  it('processes a command that follows a quiet moment at once', async () => {
    engine = await openEmbeddedEngine({ batchWindowMs: 1_000 });
    const started = performance.now();
    await publish(engine, 'first');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('without a window, processes each turn of commands in its own batch', async () => {
    engine = await openEmbeddedEngine({ batchWindowMs: 0 });
    const batches = publishedPerBatch(engine);
    await publish(engine, 'first');
    const second = publish(engine, 'second');
    await sleep(50);
    await Promise.all([second, publish(engine, 'third')]);
    expect(batches).toEqual([['first'], ['second'], ['third']]);
  });
});
