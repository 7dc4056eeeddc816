import type { Failure } from '../command.js';
import type { BpmnBehaviors } from './bpmn-behaviors.js';
import type { BpmnContext } from './bpmn-context.js';

/**
 * The lifecycle of one kind of BPMN element (Zeebe's BpmnElementProcessor). Each hook runs after
 * the matching ELEMENT_ACTIVATING / ELEMENT_COMPLETING / ELEMENT_TERMINATING event was written.
 * Returning a failure raises an incident; resolving it runs the hook again.
 */
export interface BpmnElementProcessor {
  onActivate(context: BpmnContext, b: BpmnBehaviors): Failure | void;
  onComplete(context: BpmnContext, b: BpmnBehaviors): Failure | void;
  onTerminate(context: BpmnContext, b: BpmnBehaviors): void;
}

/** Elements that contain others (process, sub-processes, multi-instance bodies). */
export interface BpmnContainerProcessor extends BpmnElementProcessor {
  /**
   * Runs while the completing child still exists (its variables are readable), before its
   * ELEMENT_COMPLETED; what it returns is handed to onChildCompleted (Zeebe's
   * beforeExecutionPathCompleted). A failure becomes an incident on the child.
   */
  beforeChildCompleted?(scope: BpmnContext, child: BpmnContext, b: BpmnBehaviors): Failure | ChildCompletion;
  onChildCompleted(scope: BpmnContext, child: BpmnContext, b: BpmnBehaviors, completion?: ChildCompletion): void;
  onChildTerminated(scope: BpmnContext, child: BpmnContext, b: BpmnBehaviors): void;
}

/** What a container decided while its child was completing. */
export interface ChildCompletion {
  /** A multi-instance body whose completion condition is fulfilled. */
  completionConditionFulfilled?: boolean;
  /** Whether the child takes its own outgoing sequence flows (inner instances of a multi-instance do not). */
  takeOutgoingFlows?: boolean;
  /** The completing inner instance's loopCounter. */
  loopCounter?: number;
}

export function isContainer(processor: BpmnElementProcessor): processor is BpmnContainerProcessor {
  return 'onChildCompleted' in processor;
}
