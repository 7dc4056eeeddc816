import type { ElementInstanceValue } from '../../core/records.js';
import type { ExecutableElement, ExecutableProcess } from '../../model/executable-model.js';

/** The element instance a lifecycle step runs for, with its model element. */
export interface BpmnContext {
  key: number;
  value: ElementInstanceValue;
  element: ExecutableElement;
  model: ExecutableProcess;
}
