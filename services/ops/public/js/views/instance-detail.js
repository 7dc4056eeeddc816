import { api, displayValue, session } from '../api.js';
import { annotationsFromStatistics, Diagram, Marker } from '../diagram.js';
import { empty, errorBox, formatDate, formatDuration, h, loading, replace, stateBadge } from '../dom.js';
import { keepRefreshed, oneAtATime, refreshedAt } from '../poller.js';
import { confirmDialog } from './confirm-dialog.js';

const HISTORY_LIMIT = 500;
const VARIABLES_LIMIT = 500;

/**
 * One process instance: its diagram with where it is and where it went, its incidents with Retry,
 * its variables and its element history. Refreshes every 5 s until the instance has ended.
 */
export function renderInstanceDetail(view, key) {
  const updated = h('span', { class: 'updated' });
  const summary = h('section', { class: 'card summary', 'data-testid': 'instance-summary' }, loading('Loading the instance…'));
  const orderPanel = h('section', { class: 'card', 'data-testid': 'order', hidden: true });
  const canvas = h('div', { class: 'diagram', 'data-testid': 'diagram' });
  const diagramErrors = h('div');
  const incidents = h('section', { class: 'card', 'data-testid': 'incidents' });
  const variables = h('section', { class: 'card', 'data-testid': 'variables' });
  const history = h('section', { class: 'card', 'data-testid': 'history' });
  // Shown once the instance is found; a key the API does not know shows its problem alone.
  const details = h('div', { hidden: true }, h('section', { class: 'card diagram-card' }, diagramErrors, canvas), incidents, h('div', { class: 'two-columns' }, variables, history));
  replace(view, h('div', { class: 'title-row' }, h('h1', {}, 'Instance ', h('span', { class: 'mono' }, key)), updated), summary, orderPanel, details);

  let diagram;
  let diagramFor;
  let finished = false;
  /** What the incidents section shows, so a refresh does not reset a retry in progress. */
  const shown = { incidents: undefined };
  // One refresh at a time: a Retry's refresh and the timer's must not both build the diagram.
  const refresh = oneAtATime(async () => {
    if (finished) return;
    let instance;
    try {
      instance = await api.getProcessInstance(key);
    } catch (error) {
      replace(summary, errorBox(error, 'Could not load the instance'));
      throw error;
    }
    details.hidden = false;
    const [elementHistory] = await Promise.all([
      section(history, 'Could not load the element history', () => loadHistory(key, instance.state === 'ACTIVE' && session.canWrite ? moveToken : undefined)),
      drawDiagram(instance),
      section(incidents, 'Could not load the incidents', () =>
        loadIncidents(key, instance, refreshNow, shown).catch((error) => {
          shown.incidents = undefined;
          throw error;
        }),
      ),
    ]);
    const instanceVariables = await section(variables, 'Could not load the variables', () => loadVariables(key, elementHistory));
    const orderId = orderIdOf(instanceVariables, key);
    const order = orderId === undefined ? undefined : await drawOrder(orderPanel, orderId, refreshNow);
    drawSummary(summary, instance, order, refreshNow);
    finished = instance.state !== 'ACTIVE';
    refreshedAt(updated);
  });

  async function drawDiagram(instance) {
    try {
      if (diagramFor !== instance.processDefinitionKey) {
        const xml = await api.getProcessDefinitionXml(instance.processDefinitionKey);
        diagram?.destroy();
        diagram = new Diagram(canvas);
        await diagram.show(xml);
        diagramFor = instance.processDefinitionKey;
      }
      const [statistics, flows] = await Promise.all([api.processInstanceElementStatistics(key), api.sequenceFlows(key)]);
      const annotations = annotationsFromStatistics(statistics.items, { showCompleted: true });
      // Camunda names the BPMN id of a taken flow `elementId`; `sequenceFlowId` identifies the taking.
      for (const flow of flows.items ?? []) annotations.markers.push({ elementId: flow.elementId ?? flow.sequenceFlowId, marker: Marker.TAKEN });
      diagram.annotate(annotations);
      replace(diagramErrors);
    } catch (error) {
      replace(diagramErrors, errorBox(error, 'Could not draw the diagram'));
    }
  }

  const refreshNow = () => {
    finished = false;
    return refresh().catch(() => undefined);
  };

  /** Operate's "move": the element instance is terminated and the chosen element activated in its place. */
  async function moveToken(item, button, status) {
    const targets = (diagram?.moveTargets() ?? []).filter((target) => target.id !== item.elementId);
    const target = h('select', { name: 'target', 'aria-label': 'Move to' }, targets.map((t) => h('option', { value: t.id }, t.name ? `${t.name} (${t.id})` : t.id)));
    const confirmed = await confirmDialog({
      title: `Move the token at ${item.elementName || item.elementId}?`,
      text: 'This element instance is terminated and the element you choose is activated in its place; the steps in between do not run, and nothing is compensated.',
      content: h('label', { class: 'field' }, 'Move to ', target),
      confirm: 'Move token',
      dismiss: 'Keep it here',
    });
    if (!confirmed) return;
    await runAction({ button, status, busy: 'Moving…', done: 'Token moved', failed: 'Could not move the token' }, () =>
      api.modifyProcessInstance(key, { terminateInstructions: [{ elementInstanceKey: item.elementInstanceKey }], activateInstructions: [{ elementId: target.value }] }),
    refreshNow);
  }
  return keepRefreshed(refresh, { onDispose: () => diagram?.destroy() });
}

/** Fills `element` with what `load` draws, or with the API's error; returns what `load` resolved to. */
async function section(element, context, load) {
  try {
    const { content, value } = await load();
    if (content !== undefined) replace(element, content);
    return value;
  } catch (error) {
    replace(element, errorBox(error, context));
    return undefined;
  }
}

/** `order`, when the instance checks out an order the Order service knows: the cancel dialog says what cancelling the instance leaves undone. */
function drawSummary(element, instance, order, refreshNow) {
  const actions = h('div', { class: 'actions' });
  if (instance.state === 'ACTIVE' && session.canWrite) {
    const orderWarning = order?.cancellable
      ? ` Nothing is undone: what order ${order.orderId} was charged stays charged, its reserved goods stay reserved, and the order stays ${order.status}. Cancel order refunds and releases instead.`
      : '';
    actions.append(
      ...confirmedAction({
        testId: 'cancel-instance',
        dialog: {
          title: 'Cancel this instance?',
          text: `Instance ${instance.processInstanceKey} stops where it is; none of its remaining steps run. This cannot be undone.${orderWarning}`,
          confirm: 'Cancel instance',
          dismiss: 'Keep running',
        },
        outcome: { busy: 'Canceling…', done: 'Cancel requested', failed: 'Could not cancel' },
        action: () => api.cancelProcessInstance(instance.processInstanceKey),
        refreshNow,
      }),
    );
  }
  replace(
    element,
    h(
      'dl',
      { class: 'facts' },
      fact('Process', h('a', { href: `#/processes/${encodeURIComponent(instance.processDefinitionKey)}` }, `${instance.processDefinitionName || instance.processDefinitionId} v${instance.processDefinitionVersion}`)),
      fact('State', h('span', { 'data-testid': 'instance-state' }, stateBadge(instance.state, instance.hasIncident))),
      fact('Started', formatDate(instance.startDate)),
      fact('Ended', instance.endDate ? `${formatDate(instance.endDate)} (${formatDuration(instance.startDate, instance.endDate)})` : '—'),
      instance.parentProcessInstanceKey ? fact('Parent', h('a', { href: `#/instances/${instance.parentProcessInstanceKey}`, class: 'mono' }, instance.parentProcessInstanceKey)) : null,
    ),
    actions,
  );
}

/** A danger button named like the dialog's confirming one, which runs `action` once the user confirms; returns the button and its status. */
function confirmedAction({ testId, dialog, outcome, action, refreshNow }) {
  const status = h('span', { class: 'action-status' });
  const button = h('button', { type: 'button', class: 'danger', 'data-testid': testId }, dialog.confirm);
  button.onclick = async () => {
    if (await confirmDialog(dialog)) await runAction({ button, status, ...outcome }, action, refreshNow);
  };
  return [button, status];
}

/** A write action: its button disabled while it runs, its outcome (or the API's problem) next to it. */
async function runAction({ button, status, busy, done, failed }, action, refreshNow) {
  button.disabled = true;
  replace(status, busy);
  try {
    await action();
    replace(status, done);
    await refreshNow();
  } catch (error) {
    button.disabled = false;
    replace(status, errorBox(error, failed));
  }
}

function fact(name, value) {
  return [h('dt', {}, name), h('dd', {}, value)];
}

async function loadIncidents(key, instance, refreshNow, shown) {
  const result = await api.searchIncidents({ filter: { processInstanceKey: key, state: 'ACTIVE' }, sort: [{ field: 'creationTime', order: 'ASC' }], page: { limit: 100 } });
  const items = result.items ?? [];
  const signature = `${instance.hasIncident}:${items.map((incident) => incident.incidentKey).join(',')}`;
  if (signature === shown.incidents) return {};
  shown.incidents = signature;
  const title = h('h2', {}, 'Incidents ', h('span', { class: 'count' }, String(items.length)));
  if (items.length === 0) return { content: [title, empty(instance.hasIncident ? 'The incident is being resolved…' : 'No open incident.')] };
  return { content: [title, h('ul', { class: 'incidents' }, items.map((incident) => incidentItem(incident, refreshNow)))] };
}

function incidentItem(incident, refreshNow) {
  const status = h('div', { class: 'action-status' });
  const retries = h('select', { name: 'retries', 'aria-label': 'Retries' }, [1, 3, 5].map((n) => h('option', { value: n }, `${n} ${n === 1 ? 'retry' : 'retries'}`)));
  const retry = h('button', { type: 'button', class: 'primary', 'data-testid': 'retry-incident' }, 'Retry');
  retry.onclick = () =>
    runAction({ button: retry, status, busy: 'Retrying…', done: 'Incident resolved; the instance continues.', failed: 'Could not retry' }, async () => {
      // A job incident is resolved only once the job has retries again; otherwise it reopens at once.
      if (incident.jobKey) await api.updateJobRetries(incident.jobKey, Number(retries.value));
      await api.resolveIncident(incident.incidentKey);
    }, refreshNow);
  return h(
    'li',
    { class: 'incident', dataset: { incidentKey: incident.incidentKey, elementId: incident.elementId } },
    h('div', { class: 'incident-head' }, h('strong', {}, incident.errorType ?? 'Incident'), ' at ', h('span', { class: 'mono' }, incident.elementId), h('span', { class: 'muted' }, ` since ${formatDate(incident.creationTime)}`)),
    h('pre', { class: 'incident-message', 'data-testid': 'incident-message' }, incident.errorMessage || '(no message)'),
    session.canWrite ? h('div', { class: 'actions' }, incident.jobKey ? retries : null, retry, status) : null,
  );
}

/** `onMove(item, button, status)`, when given, offers to move the token of each active element instance. */
async function loadHistory(key, onMove) {
  const result = await api.searchElementInstances({ filter: { processInstanceKey: key }, sort: [{ field: 'startDate', order: 'ASC' }, { field: 'elementInstanceKey', order: 'ASC' }], page: { limit: HISTORY_LIMIT } });
  const items = (result.items ?? []).filter((item) => item.type !== 'PROCESS');
  const total = result.page?.totalItems ?? items.length;
  const rows = items.map((item) =>
    h(
      'tr',
      { dataset: { elementId: item.elementId, state: item.state } },
      h('td', {}, item.elementName || item.elementId, item.elementName && item.elementName !== item.elementId ? h('div', { class: 'muted mono' }, item.elementId) : null),
      h('td', { class: 'muted' }, item.type.toLowerCase().replaceAll('_', ' ')),
      h('td', {}, stateBadge(item.state, item.hasIncident)),
      h('td', {}, formatDate(item.startDate)),
      h('td', {}, item.endDate ? formatDate(item.endDate) : '—'),
      onMove ? h('td', {}, item.state === 'ACTIVE' ? moveButton(item, onMove) : null) : null,
    ),
  );
  return {
    value: result.items ?? [],
    content: [
      h('h2', {}, 'History'),
      items.length === 0
        ? empty('No element has started yet.')
        : h('table', { class: 'grid compact' }, h('thead', {}, h('tr', {}, ['Element', 'Type', 'State', 'Started', 'Ended', ...(onMove ? [''] : [])].map((t) => h('th', {}, t)))), h('tbody', {}, rows)),
      total > (result.items ?? []).length ? h('p', { class: 'muted' }, `Showing the first ${(result.items ?? []).length} of ${total} element instances.`) : null,
    ],
  };
}

function moveButton(item, onMove) {
  const status = h('span', { class: 'action-status' });
  const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'move-token' }, 'Move…');
  button.onclick = () => onMove(item, button, status);
  return [button, status];
}

/** The Order service's order ids are UUIDs; another process's `orderId` is not asked about. */
const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The instance's own `orderId` variable: the order a checkout instance is about. */
function orderIdOf(variables, key) {
  const variable = (variables ?? []).find((candidate) => candidate.name === 'orderId' && candidate.scopeKey === key);
  const value = variable && displayValue(variable.value);
  return ORDER_ID.test(value ?? '') ? value : undefined;
}

/**
 * The order as the Order service sees it, with Cancel order: the customer's own cancel, so the
 * process refunds and releases. Resolves with the order, or undefined when the service does not
 * know it (another process's `orderId`) or cannot be asked.
 */
async function drawOrder(panel, orderId, refreshNow) {
  let order;
  try {
    order = await api.getOrder(orderId);
  } catch (error) {
    panel.hidden = error.status === 404;
    replace(panel, h('h2', {}, 'Order'), errorBox(error, `Could not load order ${orderId}`));
    return undefined;
  }
  panel.hidden = false;
  const cancelRequested = (order.timeline ?? []).filter((entry) => entry.type === 'order.cancel-requested').at(-1);
  const actions = h('div', { class: 'actions' });
  if (order.cancellable && session.canWrite) {
    actions.append(
      ...confirmedAction({
        testId: 'cancel-order',
        dialog: {
          title: `Cancel order ${order.orderId}?`,
          text: 'The checkout cancels it as if the customer had asked: what was charged is refunded and reserved goods are released. The customer sees that customer service cancelled it.',
          confirm: 'Cancel order',
          dismiss: 'Keep the order',
        },
        outcome: { busy: 'Cancelling…', done: 'Cancellation requested', failed: 'Could not cancel the order' },
        action: () => api.cancelOrder(order.orderId),
        refreshNow,
      }),
    );
  }
  replace(
    panel,
    h('h2', {}, 'Order'),
    h(
      'dl',
      { class: 'facts' },
      fact('Order', h('span', { class: 'mono' }, order.orderId)),
      fact('Customer', h('span', { class: 'mono' }, order.customerId)),
      fact('Status', h('span', { 'data-testid': 'order-status', class: `badge badge-${order.status.toLowerCase()}` }, order.status)),
      fact('Total', formatMoney(order.total)),
      cancelRequested && !order.cancellationReason
        ? fact('Cancellation', h('span', { 'data-testid': 'order-cancel-requested' }, `requested by ${cancelRequested.detail?.requestedBy ?? 'the customer'} at ${formatDate(cancelRequested.at)}`))
        : null,
      order.cancellationReason ? fact('Cancelled because', order.cancellationReason) : null,
    ),
    actions,
  );
  return order;
}

/** Minor units and a currency, as the Order service keeps money. */
function formatMoney({ amount, currency }) {
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}

async function loadVariables(key, elementHistory) {
  const result = await api.searchVariables({ filter: { processInstanceKey: key }, sort: [{ field: 'name', order: 'ASC' }], page: { limit: VARIABLES_LIMIT } });
  const items = result.items ?? [];
  const scopeNames = new Map((elementHistory ?? []).map((e) => [e.elementInstanceKey, e.elementName || e.elementId]));
  const rows = items.map((variable) =>
    h(
      'tr',
      { dataset: { name: variable.name } },
      h('td', { class: 'mono' }, variable.name),
      h('td', { class: 'muted' }, variable.scopeKey === key ? 'process' : (scopeNames.get(variable.scopeKey) ?? variable.scopeKey)),
      h('td', { class: 'mono value' }, displayValue(variable.value), variable.isTruncated ? h('span', { class: 'muted' }, ' … (truncated)') : null),
    ),
  );
  return {
    value: items,
    content: [
      h('h2', {}, 'Variables'),
      items.length === 0 ? empty('No variables.') : h('table', { class: 'grid compact' }, h('thead', {}, h('tr', {}, ['Name', 'Scope', 'Value'].map((t) => h('th', {}, t)))), h('tbody', {}, rows)),
    ],
  };
}
