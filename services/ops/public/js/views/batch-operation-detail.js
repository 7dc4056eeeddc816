import { api } from '../api.js';
import { empty, errorBox, fact, formatDate, formatDuration, h, loading, replace, stateBadge } from '../dom.js';
import { keepRefreshed, oneAtATime, refreshedAt } from '../poller.js';
import { countsOf, errorsOf, FINAL_STATES, itemNoun, operationTypeName } from './batch-operation-summary.js';

/** Items read per outcome: the failed ones, and the others. */
const ITEMS_LIMIT = 500;

/**
 * One batch operation: what it was, how far it got, and each of its items with what became of it,
 * the failed ones first with the engine's reason (an incident resolved meanwhile, an instance that
 * had ended or that only its parent may cancel). Refreshes every 5 s until the operation has ended.
 */
export function renderBatchOperationDetail(view, key) {
  const updated = h('span', { class: 'updated' });
  const summary = h('section', { class: 'card summary', 'data-testid': 'batch-operation-summary' }, loading('Loading the batch operation…'));
  const items = h('section', { class: 'card', 'data-testid': 'batch-operation-items', hidden: true });
  replace(view, h('div', { class: 'title-row' }, h('h1', {}, 'Batch operation ', h('span', { class: 'mono' }, key)), updated), summary, items);

  let finished = false;
  const refresh = oneAtATime(async () => {
    if (finished) return;
    let operation;
    try {
      operation = await api.getBatchOperation(key);
    } catch (error) {
      replace(summary, errorBox(error, 'Could not load the batch operation'));
      throw error;
    }
    drawSummary(summary, operation);
    items.hidden = false;
    try {
      drawItems(items, operation, await loadItems(key));
    } catch (error) {
      replace(items, errorBox(error, 'Could not load the items'));
      throw error;
    }
    finished = FINAL_STATES.has(operation.state);
    refreshedAt(updated);
  });
  return keepRefreshed(refresh);
}

function drawSummary(element, operation) {
  const { done, failed, total } = countsOf(operation);
  const reasons = errorsOf(operation);
  replace(
    element,
    h(
      'dl',
      { class: 'facts' },
      fact('Type', operationTypeName(operation.batchOperationType)),
      fact('State', h('span', { 'data-testid': 'batch-operation-state' }, stateBadge(operation.state))),
      fact('Items', h('span', { 'data-testid': 'batch-operation-counts' }, `${done} done, ${failed} failed, ${total} in all`)),
      fact('Started', formatDate(operation.startDate)),
      fact('Ended', operation.endDate ? `${formatDate(operation.endDate)} (${formatDuration(operation.startDate, operation.endDate)})` : '—'),
    ),
    reasons.length > 0 ? errorBox({ title: 'Batch operation failed', detail: reasons.join('\n') }) : null,
  );
}

/** The operation's items, failed first, each group in item key order. */
async function loadItems(batchOperationKey) {
  const search = (state) => api.searchBatchOperationItems({ filter: { batchOperationKey, state }, sort: [{ field: 'itemKey', order: 'ASC' }], page: { limit: ITEMS_LIMIT } });
  const groups = await Promise.all([search('FAILED'), search({ $neq: 'FAILED' })]);
  return {
    items: groups.flatMap((group) => group.items ?? []),
    shown: groups.reduce((sum, group) => sum + (group.items ?? []).length, 0),
    total: groups.reduce((sum, group) => sum + (group.page?.totalItems ?? (group.items ?? []).length), 0),
  };
}

function drawItems(element, operation, { items, shown, total }) {
  const incidents = operation.batchOperationType === 'RESOLVE_INCIDENT';
  const noun = itemNoun(operation.batchOperationType);
  replace(
    element,
    h('h2', {}, 'Items ', h('span', { class: 'count' }, `(${total})`)),
    items.length === 0
      ? empty(FINAL_STATES.has(operation.state) ? 'The operation had no item: nothing matched its filter.' : 'No item has been processed yet.')
      : h(
          'table',
          { class: 'grid compact', 'data-testid': 'batch-items' },
          h('thead', {}, h('tr', {}, [noun, incidents ? 'Instance' : null, 'State', 'Processed', 'Reason'].filter(Boolean).map((title) => h('th', {}, title)))),
          h('tbody', {}, items.map((item) => itemRow(item, incidents))),
        ),
    shown < total ? h('p', { class: 'muted' }, `Showing ${shown} of ${total}: the first ${ITEMS_LIMIT} failed and the first ${ITEMS_LIMIT} others.`) : null,
  );
}

function itemRow(item, incidents) {
  return h(
    'tr',
    { dataset: { itemKey: item.itemKey } },
    h('td', {}, incidents ? h('span', { class: 'mono' }, item.itemKey) : instanceLink(item.itemKey)),
    incidents ? h('td', {}, item.processInstanceKey ? instanceLink(item.processInstanceKey) : '—') : null,
    h('td', {}, stateBadge(item.state)),
    h('td', {}, formatDate(item.processedDate)),
    h('td', { class: 'item-reason' }, item.errorMessage ?? ''),
  );
}

function instanceLink(processInstanceKey) {
  return h('a', { href: `#/instances/${encodeURIComponent(processInstanceKey)}`, class: 'mono' }, processInstanceKey);
}
