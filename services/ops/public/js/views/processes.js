import { api, countProcessInstances } from '../api.js';
import { empty, errorBox, h, loading, replace } from '../dom.js';
import { keepRefreshed, refreshedAt } from '../poller.js';

/** The four counts of each definition version, as Operate shows them, each a filter of the instance list. */
const COUNTS = [
  { name: 'active', label: 'Active', filter: { state: 'ACTIVE', hasIncident: false }, query: { state: 'ACTIVE', incident: 'no' } },
  { name: 'incidents', label: 'Incidents', filter: { state: 'ACTIVE', hasIncident: true }, query: { state: 'ACTIVE', incident: 'yes' } },
  { name: 'completed', label: 'Completed', filter: { state: 'COMPLETED' }, query: { state: 'COMPLETED' } },
  { name: 'canceled', label: 'Canceled', filter: { state: 'TERMINATED' }, query: { state: 'TERMINATED' } },
];

const DEFINITIONS_PAGE = 500;

/** Process definitions with their versions and instance counts; refreshes every 5 s. */
export function renderProcesses(view) {
  const updated = h('span', { class: 'updated' });
  const body = h('div', {}, loading('Loading process definitions…'));
  replace(view, h('div', { class: 'title-row' }, h('h1', {}, 'Processes'), updated), body);

  const refresh = async () => {
    try {
      const rows = await loadRows();
      replace(body, rows.length === 0 ? empty('No process is deployed yet. Deploy a BPMN model and it appears here.') : table(rows));
      refreshedAt(updated);
    } catch (error) {
      replace(body, errorBox(error, 'Could not load the processes'));
      throw error;
    }
  };
  return keepRefreshed(refresh);
}

async function loadRows() {
  const result = await api.searchProcessDefinitions({
    sort: [{ field: 'processDefinitionId', order: 'ASC' }, { field: 'version', order: 'DESC' }],
    page: { from: 0, limit: DEFINITIONS_PAGE },
  });
  const definitions = result.items ?? [];
  return Promise.all(
    definitions.map(async (definition) => {
      const counts = await Promise.all(COUNTS.map((c) => countProcessInstances({ processDefinitionKey: definition.processDefinitionKey, ...c.filter })));
      return { definition, counts: Object.fromEntries(COUNTS.map((c, i) => [c.name, counts[i]])) };
    }),
  );
}

function table(rows) {
  return h(
    'table',
    { class: 'grid', 'data-testid': 'process-definitions' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Process'), h('th', {}, 'Version'), COUNTS.map((c) => h('th', { class: 'num' }, c.label)), h('th', {}, ''))),
    h(
      'tbody',
      {},
      rows.map(({ definition, counts }, index) => {
        const firstOfProcess = index === 0 || rows[index - 1].definition.processDefinitionId !== definition.processDefinitionId;
        return h(
          'tr',
          { class: firstOfProcess ? 'group-start' : null, dataset: { processDefinitionKey: definition.processDefinitionKey } },
          h('td', {}, firstOfProcess ? h('strong', {}, definition.name || definition.processDefinitionId) : '', firstOfProcess && definition.name ? h('div', { class: 'muted' }, definition.processDefinitionId) : null),
          h('td', {}, `v${definition.version}`, definition.versionTag ? h('span', { class: 'muted' }, ` (${definition.versionTag})`) : null),
          COUNTS.map((c) => h('td', { class: `num count-${c.name}` }, countLink(definition, c, counts[c.name]))),
          h('td', {}, h('a', { href: `#/processes/${encodeURIComponent(definition.processDefinitionKey)}` }, 'Diagram & heatmap')),
        );
      }),
    ),
  );
}

function countLink(definition, count, value) {
  const query = new URLSearchParams({ process: definition.processDefinitionId, version: String(definition.version), ...count.query });
  return h('a', { href: `#/instances?${query}`, class: value > 0 && count.name === 'incidents' ? 'has-incidents' : null }, String(value));
}
