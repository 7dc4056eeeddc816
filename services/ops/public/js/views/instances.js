import { api, displayValue, session } from '../api.js';
import { empty, errorBox, formatDate, h, hashQuery, loading, replace, stateBadge } from '../dom.js';
import { keepRefreshed, refreshedAt } from '../poller.js';
import { batchActions } from './batch-operations.js';

const PAGE_SIZE = 20;
/** The business key of an order is its `orderId` variable. */
const BUSINESS_KEY_VARIABLE = 'orderId';

/**
 * The instance list. Its filters live in the hash (`#/instances?state=ACTIVE&incident=yes`), so a
 * reload, a shared link or the back button keep them; the 5 s refresh redraws the rows only. With
 * a token that may write, Retry all incidents and Cancel all act on every instance the filters match.
 */
export function renderInstances(view) {
  const updated = h('span', { class: 'updated' });
  const form = h('form', { class: 'filters', 'data-testid': 'instance-filters' });
  const results = h('div', { class: 'results' }, loading('Loading instances…'));
  const batch = session.canWrite ? batchActions({ currentFilter: () => searchFilter(readFilters()), refreshNow: () => refresh().catch(() => undefined) }) : undefined;
  replace(view, h('div', { class: 'title-row' }, h('h1', {}, 'Instances'), updated), form, batch?.element, results);

  let definitions = [];
  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const filters = readFilters();
    try {
      const page = await loadPage(filters);
      if (mine !== generation) return;
      replace(results, page.items.length === 0 ? empty(emptyText(filters)) : resultTable(page, filters));
      refreshedAt(updated);
    } catch (error) {
      if (mine === generation) replace(results, errorBox(error, 'Could not search the instances'));
      throw error;
    }
  };
  const drawForm = () => drawFilters(form, definitions, readFilters());

  drawForm();
  void api
    .searchProcessDefinitions({ sort: [{ field: 'processDefinitionId', order: 'ASC' }, { field: 'version', order: 'DESC' }], page: { limit: 500 } })
    .then((result) => {
      definitions = result.items ?? [];
      drawForm();
    })
    .catch((error) => form.append(errorBox(error, 'Could not load the process list')));
  return keepRefreshed(refresh, {
    onDispose: () => batch?.stop(),
    onQueryChange: () => {
      drawForm();
      void refresh().catch(() => undefined);
    },
  });
}

function readFilters() {
  const q = hashQuery();
  return {
    state: q.get('state') ?? '',
    process: q.get('process') ?? '',
    version: q.get('version') ?? '',
    incident: q.get('incident') ?? '',
    orderId: q.get('orderId') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    page: Math.max(0, Number.parseInt(q.get('page') ?? '0', 10) || 0),
  };
}

function writeFilters(filters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== '' && value !== 0 && value !== undefined) query.set(name, String(value));
  location.hash = `#/instances${query.size > 0 ? `?${query}` : ''}`;
}

/** Camunda 8.8's process instance filter for what the form says. */
function searchFilter(filters) {
  const filter = {};
  if (filters.state) filter.state = filters.state;
  if (filters.process) filter.processDefinitionId = filters.process;
  if (filters.process && filters.version) filter.processDefinitionVersion = Number(filters.version);
  if (filters.incident === 'yes') filter.hasIncident = true;
  if (filters.incident === 'no') filter.hasIncident = false;
  // Variable values are JSON in Camunda: the order id "o-1" is the text `"o-1"`.
  if (filters.orderId) filter.variables = [{ name: BUSINESS_KEY_VARIABLE, value: JSON.stringify(filters.orderId) }];
  const startDate = {};
  if (filters.from) startDate.$gte = new Date(filters.from).toISOString();
  if (filters.to) startDate.$lte = new Date(filters.to).toISOString();
  if (Object.keys(startDate).length > 0) filter.startDate = startDate;
  return filter;
}

async function loadPage(filters) {
  const result = await api.searchProcessInstances({
    filter: searchFilter(filters),
    sort: [{ field: 'startDate', order: 'DESC' }],
    page: { from: filters.page * PAGE_SIZE, limit: PAGE_SIZE },
  });
  const items = result.items ?? [];
  return { items, total: result.page?.totalItems ?? items.length, orderIds: await orderIdsOf(items) };
}

/** The order id of each listed instance, in one variables search; the list still shows without it. */
async function orderIdsOf(items) {
  if (items.length === 0) return new Map();
  try {
    const keys = items.map((item) => item.processInstanceKey);
    const result = await api.searchVariables({ filter: { name: BUSINESS_KEY_VARIABLE, processInstanceKey: { $in: keys } }, page: { limit: keys.length * 2 } });
    return new Map((result.items ?? []).filter((v) => v.scopeKey === v.processInstanceKey).map((v) => [v.processInstanceKey, displayValue(v.value)]));
  } catch {
    return new Map();
  }
}

function emptyText(filters) {
  const filtered = Object.entries(filters).some(([name, value]) => name !== 'page' && value !== '');
  return filtered ? 'No instance matches these filters.' : 'No process instance yet. Place an order and it appears here.';
}

function drawFilters(form, definitions, filters) {
  const processIds = [...new Set(definitions.map((d) => d.processDefinitionId))];
  const versions = definitions.filter((d) => d.processDefinitionId === filters.process).map((d) => d.version);
  const field = (name, label, control) => h('div', { class: 'field' }, h('label', { for: `filter-${name}` }, label), control);
  const select = (name, label, options, value) =>
    field(name, label, h('select', { name, id: `filter-${name}` }, options.map(([optionValue, text]) => h('option', { value: optionValue, selected: String(optionValue) === String(value) }, text))));
  const input = (name, label, type, value, extra = {}) => field(name, label, h('input', { name, id: `filter-${name}`, type, value, ...extra }));
  replace(
    form,
    select('state', 'State', [['', 'Any'], ['ACTIVE', 'Active'], ['COMPLETED', 'Completed'], ['TERMINATED', 'Canceled']], filters.state),
    select('incident', 'Incident', [['', 'Any'], ['yes', 'With incident'], ['no', 'Without incident']], filters.incident),
    select('process', 'Process', [['', 'Any'], ...processIds.map((id) => [id, id])], filters.process),
    select('version', 'Version', [['', 'Any'], ...versions.map((v) => [String(v), `v${v}`])], filters.version),
    input('orderId', 'Order id', 'search', filters.orderId, { placeholder: 'orderId variable' }),
    input('from', 'Started from', 'datetime-local', filters.from, { step: 1 }),
    input('to', 'Started until', 'datetime-local', filters.to, { step: 1 }),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply'), h('button', { type: 'button', onclick: () => writeFilters({}) }, 'Clear')),
  );
  const apply = () => {
    const data = new FormData(form);
    const next = Object.fromEntries(['state', 'incident', 'process', 'version', 'orderId', 'from', 'to'].map((name) => [name, String(data.get(name) ?? '').trim()]));
    if (next.process !== filters.process) next.version = '';
    writeFilters({ ...next, page: 0 });
  };
  form.onsubmit = (event) => {
    event.preventDefault();
    apply();
  };
  form.onchange = (event) => {
    if (event.target instanceof HTMLSelectElement) apply();
  };
}

function resultTable({ items, total, orderIds }, filters) {
  const first = filters.page * PAGE_SIZE;
  const pager = h(
    'div',
    { class: 'pager' },
    h('span', { 'data-testid': 'instance-total' }, `${first + 1}–${first + items.length} of ${total}`),
    h('button', { type: 'button', disabled: filters.page === 0, onclick: () => writeFilters({ ...filters, page: filters.page - 1 }) }, '‹ Previous'),
    h('button', { type: 'button', disabled: first + items.length >= total, onclick: () => writeFilters({ ...filters, page: filters.page + 1 }) }, 'Next ›'),
  );
  return h(
    'div',
    {},
    h(
      'table',
      { class: 'grid', 'data-testid': 'instances' },
      h('thead', {}, h('tr', {}, ['Instance', 'Process', 'Order id', 'State', 'Started', 'Ended'].map((title) => h('th', {}, title)))),
      h(
        'tbody',
        {},
        items.map((item) =>
          h(
            'tr',
            { dataset: { processInstanceKey: item.processInstanceKey } },
            h('td', {}, h('a', { href: `#/instances/${encodeURIComponent(item.processInstanceKey)}`, class: 'mono' }, item.processInstanceKey)),
            h('td', {}, item.processDefinitionName || item.processDefinitionId, h('span', { class: 'muted' }, ` v${item.processDefinitionVersion}`)),
            h('td', { class: 'mono' }, orderIds.get(item.processInstanceKey) ?? '—'),
            h('td', {}, stateBadge(item.state, item.hasIncident)),
            h('td', {}, formatDate(item.startDate)),
            h('td', {}, formatDate(item.endDate)),
          ),
        ),
      ),
    ),
    pager,
  );
}
