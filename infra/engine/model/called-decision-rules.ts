/**
 * Zeebe's deployment checks of a business rule task (its BusinessRuleTaskValidator and
 * ZeebeCalledDecisionValidator): it either calls a decision or creates a job, and a called decision
 * names the decision, where its result goes and which version it binds to.
 */
import { BindingType, ElementType, type ExecutableElement } from './executable-model.js';

const BINDING_TYPES = new Set<string>(Object.values(BindingType));

export function calledDecision(e: ExecutableElement): string[] {
  if (e.elementType !== ElementType.BUSINESS_RULE_TASK) return [];
  if (!e.calledDecision === !e.job) return [`Must have either one 'zeebe:calledDecision' or one 'zeebe:taskDefinition' extension element`];
  const called = e.calledDecision;
  if (!called) return [];
  return [
    ...(called.decisionId.source ? [] : [`Attribute 'decisionId' must be present and not empty`]),
    ...(called.resultVariable ? [] : [`Attribute 'resultVariable' must be present and not empty`]),
    ...(BINDING_TYPES.has(called.bindingType) ? [] : [`Attribute 'bindingType' must be one of ${[...BINDING_TYPES].join(', ')}, but was '${called.bindingType}'`]),
    ...(called.bindingType === BindingType.VERSION_TAG && !called.versionTag?.source
      ? [`Attribute 'versionTag' must be present and not empty if 'bindingType' is 'versionTag'`]
      : []),
  ];
}
