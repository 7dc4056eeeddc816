/** Tasks: job-worker tasks, pass-through tasks, FEEL script tasks and receive tasks. */
import { evaluateAny } from '../../../feel/feel-evaluator.js';
import { ErrorType } from '../../command.js';
import type { BpmnBehaviors } from '../bpmn-behaviors.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { BpmnElementProcessor } from '../bpmn-element-processor.js';

/** Completing continues through the outgoing flows; terminating ends an element that owns no children. */
export const finishOrTerminate = {
  onComplete(context: BpmnContext, b: BpmnBehaviors) {
    return b.completeAndContinue(context);
  },
  onTerminate(context: BpmnContext, b: BpmnBehaviors) {
    b.terminateLeaf(context);
  },
};

/**
 * Service, send, user (job-based), business rule tasks and message throw events: a job for a
 * worker; completing the job completes the element (see the job processors).
 */
export const jobWorkerTaskProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const mapped = b.variables.applyInputMappings(context);
    if (mapped) return mapped;
    const job = b.jobs.evaluate(context);
    if ('errorType' in job) return job;
    const subscribed = b.subscribeBoundaryEvents(context);
    if (subscribed) return subscribed;
    b.jobs.create(job);
    b.transitions.toActivated(context);
  },
  ...finishOrTerminate,
};

/** Undefined and manual tasks, none throw events: nothing to wait for. */
export const passThroughProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const mapped = b.variables.applyInputMappings(context);
    if (mapped) return mapped;
    b.transitions.toActivated(context);
    b.transitions.completeElement(context);
  },
  ...finishOrTerminate,
};

/** Script tasks with a `zeebe:script` FEEL expression; with a task definition they are job-worker tasks. */
export const scriptTaskProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    if (!context.element.script) return jobWorkerTaskProcessor.onActivate(context, b);
    const mapped = b.variables.applyInputMappings(context);
    if (mapped) return mapped;
    const result = evaluateAny(context.element.script.expression, b.variables.feelContext(context.key));
    if (!result.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: result.failure };
    const subscribed = b.subscribeBoundaryEvents(context);
    if (subscribed) return subscribed;
    b.variables.mergeResult(context, { [context.element.script.resultVariable]: result.value });
    b.transitions.toActivated(context);
    b.transitions.completeElement(context);
  },
  ...finishOrTerminate,
};

/**
 * Receive tasks and intermediate catch events wait for their own event. After an event-based
 * gateway the event already happened: the trigger is waiting for them.
 */
export const catchEventProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const mapped = b.variables.applyInputMappings(context);
    if (mapped) return mapped;
    if (b.state.eventTrigger(context.key)) {
      b.transitions.toActivated(context);
      b.transitions.completeElement(context);
      return;
    }
    const catchElements = [...context.element.boundaryEventIds.map((id) => context.model.elements.get(id)!), context.element];
    const subscribed = b.subscriptions.subscribe(context, catchElements);
    if ('errorType' in subscribed) return subscribed;
    b.transitions.toActivated(context);
  },
  onComplete(context, b) {
    const variables = b.triggers.consume(context.key, { key: context.key, value: context.value });
    if (variables) b.variables.mergeResult(context, variables);
    return b.completeAndContinue(context);
  },
  onTerminate(context, b) {
    b.terminateLeaf(context);
  },
};
