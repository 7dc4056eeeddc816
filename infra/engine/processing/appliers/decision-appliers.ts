/** Appliers of deployed decisions and decision requirements graphs (Zeebe's DecisionCreatedApplier and the others). */
import { ValueType } from '../../core/records.js';
import type { ParsedDrg } from '../../dmn/decision-model.js';
import type { DecisionRequirementsValue, DecisionValue } from '../../state/decision-state.js';
import type { EngineState } from '../../state/engine-state.js';
import type { ApplierTable } from './applier-registry.js';

export function decisionAppliers(state: EngineState): ApplierTable {
  const decisions = state.decisions;
  return {
    [ValueType.DECISION_REQUIREMENTS]: {
      CREATED: (key, value: DecisionRequirementsValue, meta) => {
        decisions.requirements.put(key, value);
        decisions.registerGraph(key, meta!.drg as ParsedDrg);
      },
      DELETED: (key, value: DecisionRequirementsValue) => {
        decisions.requirements.put(key, { ...value, deleted: true });
        decisions.forgetGraph(key);
      },
    },
    [ValueType.DECISION]: {
      CREATED: (key, value: DecisionValue) => decisions.decisions.put(key, value),
      DELETED: (key, value: DecisionValue) => decisions.decisions.put(key, { ...value, deleted: true }),
    },
  };
}
