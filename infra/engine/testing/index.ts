/** The testing kit: the engine inside a test, time control, mock job workers and process assertions. */
export { startTestEngine, type TestEngine, type TestEngineOptions, type ZeebeGrpcClient } from './test-engine.js';
export { MockJobWorker, type MockJobActions, type MockJobHandler } from './mock-job-worker.js';
export {
  assertThatProcessInstance,
  DEFAULT_ASSERTION_TIMEOUT_MS,
  ProcessInstanceAssert,
  type AssertionOptions,
  type AssertionSource,
  type ProcessInstanceRef,
} from './process-instance-assert.js';
export { RecordLog } from './record-log.js';
export { InvalidDurationError, ProcessInstanceAssertionError } from './errors.js';
