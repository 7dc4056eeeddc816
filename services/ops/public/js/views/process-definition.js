import { api } from '../api.js';
import { annotationsFromStatistics, Diagram } from '../diagram.js';
import { empty, errorBox, h, loading, replace } from '../dom.js';
import { keepRefreshed, oneAtATime, refreshedAt } from '../poller.js';

/**
 * One process definition's diagram as a heatmap: how many of its instances wait at each element
 * right now (blue) and how many are stuck there with an incident (red). Refreshes every 5 s.
 */
export function renderProcessDefinition(view, key) {
  const updated = h('span', { class: 'updated' });
  const heading = h('h1', {}, 'Process ', h('span', { class: 'mono' }, key));
  const facts = h('div', { class: 'muted' });
  const canvas = h('div', { class: 'diagram', 'data-testid': 'heatmap' });
  const problems = h('div', {}, loading('Loading the diagram…'));
  const table = h('section', { class: 'card', 'data-testid': 'waiting-table' });
  replace(view, h('div', { class: 'title-row' }, heading, updated), facts, h('section', { class: 'card diagram-card' }, problems, canvas), table);

  let diagram;
  const refresh = oneAtATime(async () => {
    try {
      if (!diagram) {
        const [definition, xml] = await Promise.all([api.getProcessDefinition(key), api.getProcessDefinitionXml(key)]);
        replace(heading, definition.name || definition.processDefinitionId, h('span', { class: 'muted' }, ` v${definition.version}`));
        const instancesLink = `#/instances?${new URLSearchParams({ process: definition.processDefinitionId, version: String(definition.version), state: 'ACTIVE' })}`;
        replace(facts, h('span', { class: 'mono' }, definition.processDefinitionId), ' · key ', h('span', { class: 'mono' }, key), ' · ', h('a', { href: instancesLink }, 'active instances'));
        const shown = new Diagram(canvas);
        await shown.show(xml);
        diagram = shown;
      }
      const statistics = await api.processDefinitionElementStatistics(key);
      const items = statistics.items ?? [];
      diagram.annotate(annotationsFromStatistics(items, { showCompleted: false }));
      replace(table, waitingTable(items, diagram));
      replace(problems);
      refreshedAt(updated);
    } catch (error) {
      replace(problems, errorBox(error, 'Could not load the heatmap'));
      throw error;
    }
  });
  return keepRefreshed(refresh, { onDispose: () => diagram?.destroy() });
}

/** The same numbers as the overlays, as a table that can be read without hovering. */
function waitingTable(items, diagram) {
  const waiting = items.filter((item) => diagram.has(item.elementId) && (item.active > 0 || item.incidents > 0)).sort((a, b) => b.active + b.incidents - (a.active + a.incidents));
  const nameOf = (elementId) => diagram.viewer.get('elementRegistry').get(elementId)?.businessObject?.name || elementId;
  return [
    h('h2', {}, 'Waiting now'),
    waiting.length === 0
      ? empty('No instance of this version is waiting anywhere.')
      : h(
          'table',
          { class: 'grid compact' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Element'), h('th', { class: 'num' }, 'Waiting'), h('th', { class: 'num' }, 'With incident'))),
          h(
            'tbody',
            {},
            waiting.map((item) =>
              h('tr', { dataset: { elementId: item.elementId } }, h('td', {}, nameOf(item.elementId), h('div', { class: 'muted mono' }, item.elementId)), h('td', { class: 'num waiting' }, String(item.active)), h('td', { class: 'num with-incident' }, String(item.incidents))),
            ),
          ),
        ),
  ];
}
