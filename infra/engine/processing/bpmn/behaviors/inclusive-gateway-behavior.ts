/**
 * When an inclusive gateway joins (Zeebe's BpmnInclusiveGatewayBehavior): once every incoming flow
 * was taken, or once no token in its flow scope can still reach an incoming flow that was not taken
 * yet. Tokens are the scope's active element instances and the sequence flows taken whose target
 * is not activated yet (their ACTIVATE_ELEMENT commands still waiting to be processed).
 */
import { ElementIntent, ValueType } from '../../../core/records.js';
import { ElementType, EventType, linkCatchEventOf, type ExecutableElement, type ExecutableProcess } from '../../../model/executable-model.js';
import type { EngineState } from '../../../state/engine-state.js';
import type { Writers } from '../../writers.js';
import { joinedFlows } from './state-transition-behavior.js';

export class InclusiveGatewayBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
  ) {}

  /**
   * The incoming flows the join consumes now, or undefined when it must wait for another token
   * (or has already joined the tokens that asked for it).
   */
  flowsToJoin(flowScopeKey: number, gateway: ExecutableElement, model: ExecutableProcess): string[] | undefined {
    const taken = this.state.elementInstances.get(flowScopeKey)?.data.joins?.[gateway.id] ?? [];
    if (taken.length === 0) return undefined;
    const allTaken = gateway.incoming.every((incoming) => taken.includes(incoming));
    if (!allTaken && this.tokenPositions(flowScopeKey, gateway.id).some((id) => canReach(model, id, gateway.id, taken))) return undefined;
    return joinedFlows(gateway, taken);
  }

  /** Where the scope's tokens are, other than at the gateway itself. */
  private tokenPositions(flowScopeKey: number, gatewayId: string): string[] {
    const active = this.state.elementInstances.children(flowScopeKey).map((child) => child.value.elementId as string);
    const onTheirWay = this.writers.pendingCommands()
      .filter((c) => c.valueType === ValueType.PROCESS_INSTANCE && c.intent === ElementIntent.ACTIVATE_ELEMENT && c.value.flowScopeKey === flowScopeKey)
      .map((c) => c.value.elementId as string);
    return [...active, ...onTheirWay].filter((id) => id !== gatewayId);
  }
}

/**
 * Whether a token at `fromId` can reach the gateway: along outgoing flows, through boundary
 * events and from link throw events to their catch events, but not through an incoming flow of the
 * gateway that was already taken (each one joins once).
 */
function canReach(model: ExecutableProcess, fromId: string, gatewayId: string, taken: string[]): boolean {
  const seen = new Set<string>();
  const stack = [fromId];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === gatewayId) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const element = model.elements.get(id);
    if (!element) continue;
    for (const flowId of element.outgoing) {
      const target = taken.includes(flowId) ? undefined : model.elements.get(flowId)?.targetId;
      if (target) stack.push(target);
    }
    stack.push(...element.boundaryEventIds);
    const linkCatch = isLinkThrow(element) ? linkCatchEventOf(model, element) : undefined;
    if (linkCatch) stack.push(linkCatch.id);
  }
  return false;
}

function isLinkThrow(element: ExecutableElement): boolean {
  return element.elementType === ElementType.INTERMEDIATE_THROW_EVENT && element.eventType === EventType.LINK;
}
