/**
 * Variable scopes as Zeebe has them: each element instance is a scope whose parent is its flow
 * scope. A document merged into a scope updates a variable where it is already defined (nearest
 * scope first) and creates the rest at the process instance (the root scope).
 */
import { ValueType, type ElementInstanceValue } from '../../../core/records.js';
import { ElementType, type VariableMapping } from '../../../model/executable-model.js';
import { evaluateAny, withEvaluationTime, type VariableContext } from '../../../feel/feel-evaluator.js';
import type { Clock } from '../../../core/clock.js';
import type { EngineState } from '../../../state/engine-state.js';
import type { Writers } from '../../writers.js';
import type { VariableValue } from '../../appliers/record-appliers.js';
import { ErrorType, type Failure } from '../../command.js';
import type { BpmnContext } from '../bpmn-context.js';

export class VariableBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
    private readonly clock: Clock,
  ) {}

  /** The scope chain from an element instance up to its process instance. */
  scopeChain(scopeKey: number): number[] {
    const chain: number[] = [];
    let key = scopeKey;
    while (key > 0) {
      const instance = this.state.elementInstances.get(key);
      if (!instance) break;
      chain.push(key);
      key = instance.value.flowScopeKey;
    }
    return chain;
  }

  /** What FEEL expressions of an element see: its visible variables and the engine's time. */
  feelContext(scopeKey: number): VariableContext {
    return withEvaluationTime(this.visible(scopeKey), this.clock.now());
  }

  /** Every variable visible from the scope, nearer scopes shadowing outer ones. */
  visible(scopeKey: number): VariableContext {
    const context: VariableContext = {};
    for (const key of this.scopeChain(scopeKey).reverse()) {
      for (const variable of this.state.variables.local(key)) context[variable.name] = variable.value;
    }
    return context;
  }

  select(scopeKey: number, names: string[] | undefined): VariableContext {
    const all = this.visible(scopeKey);
    if (!names || names.length === 0) return all;
    return Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]]));
  }

  setLocal(scopeKey: number, document: VariableContext, owner: ElementInstanceValue): void {
    for (const [name, value] of Object.entries(document)) this.write(scopeKey, name, value, owner);
  }

  /** Merges a document into a scope with Zeebe's propagation. */
  merge(scopeKey: number, document: VariableContext, owner: ElementInstanceValue): void {
    const chain = this.scopeChain(scopeKey);
    const root = chain[chain.length - 1] ?? scopeKey;
    for (const [name, value] of Object.entries(document)) {
      const holder = chain.find((key) => this.state.variables.getLocal(key, name) !== undefined) ?? root;
      this.write(holder, name, value, owner);
    }
  }

  private write(scopeKey: number, name: string, value: unknown, owner: ElementInstanceValue): void {
    const existing = this.state.variables.getLocal(scopeKey, name);
    if (existing && JSON.stringify(existing.value) === JSON.stringify(value ?? null)) return;
    const record: VariableValue = {
      name, value: value ?? null, scopeKey, processInstanceKey: owner.processInstanceKey,
      processDefinitionKey: owner.processDefinitionKey, bpmnProcessId: owner.bpmnProcessId, tenantId: owner.tenantId,
    };
    this.writers.appendEvent(existing?.key ?? this.state.nextKey(), ValueType.VARIABLE, existing ? 'UPDATED' : 'CREATED', record);
  }

  /**
   * `mergeNested` (output mappings): a nested target (`order.total`) is merged into the object the
   * variable already holds instead of replacing it, as Zeebe's output mappings do.
   */
  private evaluateMappings(mappings: VariableMapping[], context: VariableContext, mergeNested: boolean): { ok: true; value: VariableContext } | { ok: false; failure: Failure } {
    const result: VariableContext = {};
    for (const mapping of mappings) {
      const evaluated = evaluateAny(mapping.source, withEvaluationTime({ ...context, ...result }, this.clock.now()));
      if (!evaluated.ok) return { ok: false, failure: { errorType: ErrorType.IO_MAPPING_ERROR, message: evaluated.failure } };
      const root = mapping.target.split('.')[0]!;
      if (mergeNested && root !== mapping.target && !(root in result) && isObject(context[root])) result[root] = structuredClone(context[root]);
      assignPath(result, mapping.target, evaluated.value);
    }
    return { ok: true, value: result };
  }

  /** Input mappings become local variables of the element instance. */
  applyInputMappings(context: BpmnContext): Failure | undefined {
    if (context.element.inputMappings.length === 0) return undefined;
    const mapped = this.evaluateMappings(context.element.inputMappings, this.feelContext(context.key), false);
    if (!mapped.ok) return mapped.failure;
    this.setLocal(context.key, mapped.value, context.value);
    return undefined;
  }

  /**
   * Output mappings are evaluated in the element's scope and merged into its flow scope. Without
   * output mappings, the element's local variables stay local, except those given to it by a job
   * or message, which were already merged (see {@link mergeResult}).
   */
  applyOutputMappings(context: BpmnContext): Failure | undefined {
    if (context.element.outputMappings.length === 0) return undefined;
    const mapped = this.evaluateMappings(context.element.outputMappings, this.feelContext(context.key), true);
    if (!mapped.ok) return mapped.failure;
    this.merge(this.outputScopeOf(context), mapped.value, context.value);
    return undefined;
  }

  /**
   * Where output mappings are merged: the flow scope, except for an inner instance of a
   * multi-instance activity, which merges into its own scope first, where its input and output
   * elements live (Zeebe's BpmnVariableMappingBehavior.getVariableScopeKey).
   */
  private outputScopeOf(context: BpmnContext): number {
    const flowScope = this.state.elementInstances.get(context.value.flowScopeKey);
    const isInnerInstance = context.value.bpmnElementType !== ElementType.MULTI_INSTANCE_BODY && flowScope?.value.bpmnElementType === ElementType.MULTI_INSTANCE_BODY;
    return isInnerInstance ? context.key : context.value.flowScopeKey;
  }

  /**
   * Variables a job completion or a correlated message brings: local to the element when it has
   * output mappings (which then pick what leaves), otherwise merged from the element upwards.
   */
  mergeResult(context: BpmnContext, variables: VariableContext): void {
    if (Object.keys(variables).length === 0) return;
    if (context.element.outputMappings.length > 0) this.setLocal(context.key, variables, context.value);
    else this.merge(context.key, variables, context.value);
  }
}

function isObject(value: unknown): value is VariableContext {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Zeebe mapping targets may be paths (`order.total`): nested objects are created as needed. */
function assignPath(target: VariableContext, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as VariableContext;
  }
  node[parts[parts.length - 1]!] = value;
}
