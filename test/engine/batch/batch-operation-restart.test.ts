/**
 * A batch operation runs in chunks of its own and survives a restart: what the engine had not
 * executed when it stopped is executed when it starts again, and no item twice.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValueType } from '../../../infra/engine/core/records.js';
import { openEmbeddedEngine, type EmbeddedEngine } from '../../../infra/engine/embedded-engine.js';
import { BATCH_OPERATION_CHUNK, type BatchOperationExecutedValue } from '../../../infra/engine/processing/processors/batch-operation-processor.js';
import { BatchOperationType } from '../../../infra/engine/state/engine-state.js';

const ONE_TASK = fileURLToPath(new URL('../fixtures/one-task.bpmn', import.meta.url));
const INSTANCES = 2 * BATCH_OPERATION_CHUNK + 50;

let dataDir: string;
beforeEach(async () => { dataDir = await mkdtemp(path.join(tmpdir(), 'orderflow-batch-')); });
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function instancesAtTheirTask(engine: EmbeddedEngine, count: number): Promise<string[]> {
  await engine.deployResources([{ name: 'one-task.bpmn', content: await readFile(ONE_TASK) }]);
  const created = await Promise.all(Array.from({ length: count }, () => engine.createProcessInstance({ bpmnProcessId: 'one-task' })));
  return created.map((instance) => instance.processInstanceKey);
}

/** Resolves once the engine holds no unfinished batch operation. */
async function batchOperationsDone(engine: EmbeddedEngine): Promise<void> {
  while (engine.state.batchOperations.where('1 = 1').length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The items of each chunk the record log holds, in the order they were executed. */
function executedChunks(engine: EmbeddedEngine): BatchOperationExecutedValue['items'][] {
  return engine.state.db
    .prepare<[string], { record: string }>("SELECT record FROM records WHERE json_extract(record, '$.valueType') = ? AND json_extract(record, '$.recordType') = 'EVENT' ORDER BY position")
    .all(ValueType.BATCH_OPERATION_EXECUTION)
    .map((row) => (JSON.parse(row.record).value as BatchOperationExecutedValue).items);
}

describe('batch operations across a restart', () => {
  it('When the engine stops before every chunk ran, then it executes the rest after starting again, each item once', async () => {
    const before = await openEmbeddedEngine({ dataDir });
    const keys = await instancesAtTheirTask(before, INSTANCES);
    const { batchOperationKey } = await before.createBatchOperation({ batchOperationType: BatchOperationType.CANCEL_PROCESS_INSTANCE, itemKeys: keys });
    await before.close();

    const after = await openEmbeddedEngine({ dataDir });
    try {
      expect(after.state.batchOperations.get(Number(batchOperationKey))?.executed).toBeLessThan(INSTANCES);

      await batchOperationsDone(after);

      const chunks = executedChunks(after);
      const items = chunks.flat();
      expect(chunks.map((chunk) => chunk.length)).toEqual([BATCH_OPERATION_CHUNK, BATCH_OPERATION_CHUNK, 50]);
      expect(items.map((item) => String(item.itemKey)).sort()).toEqual([...keys].sort());
      expect(items.every((item) => item.state === 'COMPLETED')).toBe(true);
      expect(keys.filter((key) => after.state.elementInstances.get(Number(key)) !== undefined)).toEqual([]);
    } finally {
      await after.close();
    }
  });

  it('When an item is refused by the engine, then it is recorded as failed with the refusal and the others go on', async () => {
    const engine = await openEmbeddedEngine({ dataDir });
    try {
      const [running] = await instancesAtTheirTask(engine, 1);
      await engine.createBatchOperation({ batchOperationType: BatchOperationType.CANCEL_PROCESS_INSTANCE, itemKeys: ['2251799813699999', running!] });

      await batchOperationsDone(engine);

      expect(executedChunks(engine).flat()).toEqual([
        { itemKey: 2251799813699999, processInstanceKey: 2251799813699999, state: 'FAILED', errorMessage: expect.stringContaining("'2251799813699999'") },
        { itemKey: Number(running), processInstanceKey: Number(running), state: 'COMPLETED' },
      ]);
    } finally {
      await engine.close();
    }
  });
});
