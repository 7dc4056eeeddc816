/** What the ops page says of a Camunda 8.8 batch operation wherever it shows one: its kind in words, its counts, where its detail is. */

/** Camunda 8.8's batch operation states after which nothing changes any more. */
export const FINAL_STATES = new Set(['COMPLETED', 'PARTIALLY_COMPLETED', 'FAILED', 'CANCELED']);

/** The batch operation types the page starts, as the list names them. */
const TYPE_NAMES = { RESOLVE_INCIDENT: 'Retry incidents', CANCEL_PROCESS_INSTANCE: 'Cancel instances' };

/** "Retry incidents"; a type the page does not start reads as Camunda names it. */
export function operationTypeName(type) {
  return TYPE_NAMES[type] ?? type;
}

/** What an item's key is: a RESOLVE_INCIDENT item is an incident, any other an instance. */
export function itemNoun(type) {
  return type === 'RESOLVE_INCIDENT' ? 'Incident' : 'Instance';
}

/** Items done (the engine accepted them), failed (it refused them), and in all. */
export function countsOf(operation) {
  return { done: operation.operationsCompletedCount ?? 0, total: operation.operationsTotalCount ?? 0, failed: operation.operationsFailedCount ?? 0 };
}

export function batchOperationHref(batchOperationKey) {
  return `#/batch-operations/${encodeURIComponent(batchOperationKey)}`;
}

/** The engine's reasons why the operation as a whole failed. */
export function errorsOf(operation) {
  return (operation.errors ?? []).map((error) => error.message ?? error.type).filter(Boolean);
}
