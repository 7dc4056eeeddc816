/**
 * The shared behaviours element processors are built from, and the steps every element shares
 * (finish completing, hand over to the flow scope).
 */
import { ElementIntent, ValueType, type ElementInstanceValue } from '../../core/records.js';
import type { Clock } from '../../core/clock.js';
import { ElementType, elementOf, type ExecutableElement, type ExecutableProcess } from '../../model/executable-model.js';
import type { EngineState } from '../../state/engine-state.js';
import type { ElementInstance, ScopePathStep } from '../../state/element-instance-state.js';
import type { Failure } from '../command.js';
import type { Writers } from '../writers.js';
import type { ActivationMeta } from '../appliers/process-instance-appliers.js';
import type { BpmnContext } from './bpmn-context.js';
import { isContainer, type BpmnElementProcessor, type ChildCompletion } from './bpmn-element-processor.js';
import { CompensationBehavior } from './behaviors/compensation-behavior.js';
import { ErrorBehavior } from './behaviors/error-behavior.js';
import { EventSubscriptionBehavior } from './behaviors/event-subscription-behavior.js';
import { EventTriggerBehavior } from './behaviors/event-trigger-behavior.js';
import { InclusiveGatewayBehavior } from './behaviors/inclusive-gateway-behavior.js';
import { IncidentBehavior } from './behaviors/incident-behavior.js';
import { JobBehavior } from './behaviors/job-behavior.js';
import { StateTransitionBehavior } from './behaviors/state-transition-behavior.js';
import { VariableBehavior } from './behaviors/variable-behavior.js';
import { DecisionBehavior } from '../decision-behavior.js';

export type ProcessorLookup = (elementType: string) => BpmnElementProcessor;

/** How a called process instance reports back to the call activity that started it. */
export interface CalledProcessHooks {
  /** `variables` are the called instance's root variables as it completed. */
  onCalledProcessCompleted(processInstance: BpmnContext, variables: Record<string, unknown>, b: BpmnBehaviors): void;
  onCalledProcessTerminated(processInstance: BpmnContext, b: BpmnBehaviors): void;
}

export class BpmnBehaviors {
  readonly transitions: StateTransitionBehavior;
  readonly variables: VariableBehavior;
  readonly jobs: JobBehavior;
  readonly incidents: IncidentBehavior;
  readonly subscriptions: EventSubscriptionBehavior;
  readonly triggers: EventTriggerBehavior;
  readonly errors: ErrorBehavior;
  readonly compensation: CompensationBehavior;
  readonly inclusiveGateways: InclusiveGatewayBehavior;
  readonly decisions: DecisionBehavior;
  callActivities: CalledProcessHooks | undefined;

  constructor(
    readonly state: EngineState,
    readonly writers: Writers,
    readonly clock: Clock,
    readonly processorFor: ProcessorLookup,
  ) {
    this.transitions = new StateTransitionBehavior(state, writers);
    this.variables = new VariableBehavior(state, writers, clock);
    this.jobs = new JobBehavior(state, writers, this.variables);
    this.incidents = new IncidentBehavior(state, writers);
    this.subscriptions = new EventSubscriptionBehavior(state, writers, this.variables, clock);
    this.triggers = new EventTriggerBehavior(state, writers, this.subscriptions, this.transitions);
    this.errors = new ErrorBehavior(state);
    this.compensation = new CompensationBehavior(state, writers, this.transitions);
    this.inclusiveGateways = new InclusiveGatewayBehavior(state, writers);
    this.decisions = new DecisionBehavior(state, writers, clock);
  }

  contextOf(instance: ElementInstance): BpmnContext {
    const model = this.state.model(instance.value.processDefinitionKey)!;
    return { key: instance.key, value: instance.value, element: elementOf(model, instance.value.elementId), model };
  }

  instance(key: number): ElementInstance | undefined {
    return this.state.elementInstances.get(key);
  }

  /** Subscribes the catch events attached to an activity; the activity owns the subscriptions. */
  subscribeBoundaryEvents(context: BpmnContext): Failure | undefined {
    // The boundary events of a multi-instance activity belong to its body, not to the inner instances.
    if (this.isInnerInstance(context)) return undefined;
    const boundaries = context.element.boundaryEventIds.map((id) => elementOf(context.model, id));
    const result = this.subscriptions.subscribe(context, boundaries);
    return 'errorType' in result ? result : undefined;
  }

  /** Output mappings, COMPLETED, outgoing flows, and the flow scope is told. */
  completeAndContinue(context: BpmnContext): Failure | undefined {
    const failure = this.variables.applyOutputMappings(context);
    if (failure) return failure;
    const completion = this.beforeCompleted(context);
    if ('errorType' in completion) return completion;
    this.subscriptions.unsubscribe(context.key);
    this.compensation.subscribe(context);
    this.transitions.toCompleted(context);
    if (completion.takeOutgoingFlows !== false) this.transitions.takeOutgoingFlows(context);
    if (context.element.isForCompensation) this.compensation.handlerCompleted(context);
    this.afterCompleted(context, completion);
    return undefined;
  }

  /** Lets the flow scope act while the completing element still exists. */
  private beforeCompleted(context: BpmnContext): Failure | ChildCompletion {
    const scope = this.instance(context.value.flowScopeKey);
    if (!scope) return {};
    const processor = this.processorFor(scope.value.bpmnElementType);
    return isContainer(processor) && processor.beforeChildCompleted ? processor.beforeChildCompleted(this.contextOf(scope), context, this) : {};
  }

  afterCompleted(context: BpmnContext, completion?: ChildCompletion): void {
    const scope = this.instance(context.value.flowScopeKey);
    if (!scope) return;
    const processor = this.processorFor(scope.value.bpmnElementType);
    if (isContainer(processor)) processor.onChildCompleted(this.contextOf(scope), context, this, completion);
  }

  /** An inner instance of a multi-instance activity (its flow scope is the body). */
  isInnerInstance(context: BpmnContext): boolean {
    return context.value.bpmnElementType !== ElementType.MULTI_INSTANCE_BODY &&
      this.instance(context.value.flowScopeKey)?.value.bpmnElementType === ElementType.MULTI_INSTANCE_BODY;
  }

  /** What a terminating element instance holds goes with it: its job, its event subscriptions, its incidents. */
  releaseHeld(elementInstanceKey: number): void {
    this.jobs.cancelJob(elementInstanceKey);
    this.subscriptions.unsubscribe(elementInstanceKey);
    this.incidents.resolveAll(elementInstanceKey);
  }

  /** Terminating an element that owns nothing else: clean up, TERMINATED, tell the flow scope. */
  terminateLeaf(context: BpmnContext): void {
    this.releaseHeld(context.key);
    this.transitions.toTerminated(context);
    this.afterTerminated(context);
  }

  afterTerminated(context: BpmnContext): void {
    const scope = this.instance(context.value.flowScopeKey);
    if (!scope) return;
    const processor = this.processorFor(scope.value.bpmnElementType);
    if (isContainer(processor)) processor.onChildTerminated(this.contextOf(scope), context, this);
  }

  /** Activates a new instance of `element` in the scope, its local variables starting as `documents` (a modification's). */
  activateChildWithVariables(scopeKey: number, scopeValue: ElementInstanceValue, element: ExecutableElement, documents: Record<string, unknown>[], meta?: ActivationMeta): number {
    const key = this.transitions.activateChild(scopeKey, scopeValue, element, meta);
    const value = this.transitions.childValue(scopeKey, scopeValue, element);
    for (const document of documents) this.variables.setLocal(key, document, value);
    return key;
  }

  /**
   * Starts the scope at the first step of each path instead of at its start event. Paths that go on
   * through the same element share one instance of it, as in Zeebe, where a flow scope created for
   * one start instruction is reused by the next; a path ending at an element activates it on its own.
   */
  activateAlongPaths(scopeKey: number, scopeValue: ElementInstanceValue, model: ExecutableProcess, paths: ScopePathStep[][]): void {
    const through = new Map<string, ScopePathStep[][]>();
    for (const [step, ...rest] of paths) {
      if (!step) continue;
      if (rest.length === 0) {
        this.activateChildWithVariables(scopeKey, scopeValue, elementOf(model, step.elementId), step.variables);
        continue;
      }
      const sharing = through.get(step.elementId);
      if (sharing) sharing.push([step, ...rest]);
      else through.set(step.elementId, [[step, ...rest]]);
    }
    for (const [elementId, group] of through) {
      const variables = group.flatMap(([step]) => step!.variables);
      this.activateChildWithVariables(scopeKey, scopeValue, elementOf(model, elementId), variables, { data: { startPaths: group.map((path) => path.slice(1)) } });
    }
  }

  /** A scope is done when nothing is active in it and no token is on its way. */
  canComplete(scopeKey: number): boolean {
    const scope = this.instance(scopeKey);
    return !!scope && scope.state === ElementIntent.ELEMENT_ACTIVATED && scope.data.activeChildren === 0 && scope.data.activeFlows === 0;
  }

  raiseIncident(context: BpmnContext, failure: Failure): void {
    this.incidents.raise(context, failure);
  }

  /** Writes PROCESS_INSTANCE events for a process instance's own record (used by creation). */
  processEvent(key: number, intent: string, context: BpmnContext): void {
    this.writers.appendEvent(key, ValueType.PROCESS_INSTANCE, intent, context.value);
  }
}
