import { api } from '../api.js';
import { empty, errorBox, formatDate, h, loading, replace, stateBadge } from '../dom.js';
import { keepRefreshed, refreshedAt } from '../poller.js';
import { batchOperationHref, countsOf, operationTypeName } from './batch-operation-summary.js';

const LIST_LIMIT = 50;

/**
 * Operate's batch operations: the ones Retry all incidents and Cancel all started, newest first,
 * with how many of their items the engine did and refused; each opens its items. Refreshes every 5 s.
 */
export function renderBatchOperations(view) {
  const updated = h('span', { class: 'updated' });
  const body = h('div', {}, loading('Loading batch operations…'));
  replace(view, h('div', { class: 'title-row' }, h('h1', {}, 'Batch operations'), updated), body);

  const refresh = async () => {
    try {
      const result = await api.searchBatchOperations({ sort: [{ field: 'startDate', order: 'DESC' }], page: { limit: LIST_LIMIT } });
      const items = result.items ?? [];
      replace(body, items.length === 0 ? empty('No batch operation yet. Retry all incidents and Cancel all on the instance list start one.') : table(items, result.page?.totalItems ?? items.length));
      refreshedAt(updated);
    } catch (error) {
      replace(body, errorBox(error, 'Could not search the batch operations'));
      throw error;
    }
  };
  return keepRefreshed(refresh);
}

function table(operations, total) {
  return [
    h(
      'table',
      { class: 'grid', 'data-testid': 'batch-operations' },
      h(
        'thead',
        {},
        h('tr', {}, ['Operation', 'Type', 'State'].map((title) => h('th', {}, title)), ['Done', 'Failed', 'Total'].map((title) => h('th', { class: 'num' }, title)), ['Started', 'Ended'].map((title) => h('th', {}, title))),
      ),
      h('tbody', {}, operations.map(row)),
    ),
    total > operations.length ? h('p', { class: 'muted' }, `Showing the newest ${operations.length} of ${total}.`) : null,
  ];
}

function row(operation) {
  const { done, failed, total } = countsOf(operation);
  return h(
    'tr',
    { dataset: { batchOperationKey: operation.batchOperationKey } },
    h('td', {}, h('a', { href: batchOperationHref(operation.batchOperationKey), class: 'mono' }, operation.batchOperationKey)),
    h('td', {}, operationTypeName(operation.batchOperationType)),
    h('td', {}, stateBadge(operation.state)),
    h('td', { class: 'num' }, done),
    h('td', { class: failed > 0 ? 'num has-failures' : 'num' }, failed),
    h('td', { class: 'num' }, total),
    h('td', {}, formatDate(operation.startDate)),
    h('td', {}, formatDate(operation.endDate)),
  );
}
