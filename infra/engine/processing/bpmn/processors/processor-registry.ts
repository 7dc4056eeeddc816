/** Which processor runs each BPMN element type. */
import { ElementType } from '../../../model/executable-model.js';
import type { BpmnElementProcessor } from '../bpmn-element-processor.js';
import { businessRuleTaskProcessor } from './business-rule-task-processor.js';
import { callActivityProcessor } from './call-activity-processor.js';
import { multiInstanceBodyProcessor } from './multi-instance-body-processor.js';
import { intermediateCatchEventProcessor } from './throw-event-behaviors.js';
import { eventSubProcessProcessor, processProcessor, subProcessProcessor } from './container-processors.js';
import { endEventProcessor, intermediateThrowEventProcessor, triggeredEventProcessor } from './event-processors.js';
import { eventBasedGatewayProcessor, exclusiveGatewayProcessor, inclusiveGatewayProcessor, parallelGatewayProcessor } from './gateway-processors.js';
import { catchEventProcessor, jobWorkerTaskProcessor, passThroughProcessor, scriptTaskProcessor } from './task-processors.js';

const registry = new Map<string, BpmnElementProcessor>([
  [ElementType.PROCESS, processProcessor],
  [ElementType.SUB_PROCESS, subProcessProcessor],
  [ElementType.EVENT_SUB_PROCESS, eventSubProcessProcessor],
  [ElementType.START_EVENT, triggeredEventProcessor],
  [ElementType.BOUNDARY_EVENT, triggeredEventProcessor],
  [ElementType.END_EVENT, endEventProcessor],
  [ElementType.INTERMEDIATE_THROW_EVENT, intermediateThrowEventProcessor],
  [ElementType.INTERMEDIATE_CATCH_EVENT, intermediateCatchEventProcessor],
  [ElementType.RECEIVE_TASK, catchEventProcessor],
  [ElementType.SERVICE_TASK, jobWorkerTaskProcessor],
  [ElementType.SEND_TASK, jobWorkerTaskProcessor],
  [ElementType.USER_TASK, jobWorkerTaskProcessor],
  [ElementType.BUSINESS_RULE_TASK, businessRuleTaskProcessor],
  [ElementType.SCRIPT_TASK, scriptTaskProcessor],
  [ElementType.TASK, passThroughProcessor],
  [ElementType.MANUAL_TASK, passThroughProcessor],
  [ElementType.EXCLUSIVE_GATEWAY, exclusiveGatewayProcessor],
  [ElementType.INCLUSIVE_GATEWAY, inclusiveGatewayProcessor],
  [ElementType.PARALLEL_GATEWAY, parallelGatewayProcessor],
  [ElementType.EVENT_BASED_GATEWAY, eventBasedGatewayProcessor],
  [ElementType.CALL_ACTIVITY, callActivityProcessor],
  [ElementType.MULTI_INSTANCE_BODY, multiInstanceBodyProcessor],
]);

/** Lets an area (call activities, multi-instance) add its processor. */
export function registerProcessor(elementType: string, processor: BpmnElementProcessor): void {
  registry.set(elementType, processor);
}

export function processorFor(elementType: string): BpmnElementProcessor {
  const processor = registry.get(elementType);
  if (!processor) throw new Error(`Expected a processor for element type '${elementType}', but none is registered`);
  return processor;
}
