/** Appliers of batch operations: the engine keeps an operation only while it has items left to execute. */
import { ValueType } from '../../core/records.js';
import type { BatchOperationValue, EngineState } from '../../state/engine-state.js';
import { BatchOperationExecutionIntent, BatchOperationIntent, BatchOperationLifecycleIntent, type BatchOperationExecutedValue } from '../processors/batch-operation-processor.js';
import type { ApplierTable } from './applier-registry.js';

export function batchOperationAppliers(state: EngineState): ApplierTable {
  const operations = state.batchOperations;
  return {
    [ValueType.BATCH_OPERATION_CREATION]: {
      [BatchOperationIntent.CREATED]: (key, value: BatchOperationValue) => operations.put(key, value),
    },
    [ValueType.BATCH_OPERATION_EXECUTION]: {
      [BatchOperationExecutionIntent.EXECUTED]: (key, value: BatchOperationExecutedValue) => {
        const operation = operations.get(key);
        if (operation) operations.put(key, { ...operation, executed: operation.executed + value.items.length });
      },
    },
    [ValueType.BATCH_OPERATION_LIFECYCLE_MANAGEMENT]: {
      [BatchOperationLifecycleIntent.COMPLETED]: (key) => operations.delete(key),
    },
  };
}
