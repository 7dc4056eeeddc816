import { api, displayValue, session } from '../api.js';
import { annotationsFromStatistics, Diagram, Marker } from '../diagram.js';
import { empty, errorBox, fact, formatDate, formatDuration, h, loading, replace, stateBadge } from '../dom.js';
import { keepRefreshed, oneAtATime, refreshedAt } from '../poller.js';
import { confirmDialog } from './confirm-dialog.js';
import { loadVariables } from './instance-variables.js';
import { actionButton, runAction } from './run-action.js';

const HISTORY_LIMIT = 500;

/**
 * One process instance: its diagram with where it is and where it went, its incidents with Retry,
 * its variables with Edit and Add variable, and its element history with Move… and Cancel token
 * (Add token above the diagram). Refreshes every 5 s until the instance has ended.
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
  // Move and Cancel token report here, not beside their row: a refresh redraws the rows, and the
  // engine's refusal (the token moved on meanwhile, say) must stay in view.
  const tokenStatus = h('div', { class: 'token-status', role: 'status', 'data-testid': 'token-status' });
  // Built once, not by each refresh, so the engine's refusal of an added token stays in view.
  const diagramActions = h('div', { class: 'actions', 'data-testid': 'diagram-actions', hidden: true }, actionButton('Add token…', 'add-token', addToken));
  // Shown once the instance is found; a key the API does not know shows its problem alone.
  const details = h('div', { hidden: true }, h('section', { class: 'card diagram-card' }, diagramActions, diagramErrors, canvas), incidents, h('div', { class: 'two-columns' }, variables, h('div', {}, tokenStatus, history)));
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
    const repairable = instance.state === 'ACTIVE' && session.canWrite;
    diagramActions.hidden = !repairable;
    const [elementHistory] = await Promise.all([
      section(history, 'Could not load the element history', () => loadHistory(key, repairable ? { moveToken, cancelToken } : undefined)),
      drawDiagram(instance),
      section(incidents, 'Could not load the incidents', () =>
        loadIncidents(key, instance, refreshNow, shown).catch((error) => {
          shown.incidents = undefined;
          throw error;
        }),
      ),
    ]);
    const instanceVariables = await section(variables, 'Could not load the variables', () =>
      loadVariables(key, elementHistory, instance.state === 'ACTIVE' && session.canWrite ? { refreshNow } : undefined),
    );
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
  function moveToken(item, button) {
    return modifyTokens(button, tokenStatus, {
      at: item,
      text: 'This element instance is terminated and the element you choose is activated in its place; the steps in between do not run, and nothing is compensated.',
      targets: { label: 'Move to', except: item.elementId },
      confirm: 'Move token',
      dismiss: 'Keep it here',
      outcome: { busy: 'Moving…', done: 'Token moved', failed: 'Could not move the token' },
      instructions: (elementId) => ({ terminateInstructions: [{ elementInstanceKey: item.elementInstanceKey }], activateInstructions: [{ elementId }] }),
    });
  }

  /** Operate's "cancel" of one element instance: a terminate instruction alone. */
  function cancelToken(item, button) {
    return modifyTokens(button, tokenStatus, {
      at: item,
      text: 'This element instance is terminated and the path it was on goes no further. A sub-process left with nothing active ends with it, and so does the instance when nothing else is active in it. Nothing is compensated.',
      confirm: 'Cancel token',
      dismiss: 'Keep it',
      outcome: { busy: 'Cancelling…', done: 'Token cancelled', failed: 'Could not cancel the token' },
      instructions: () => ({ terminateInstructions: [{ elementInstanceKey: item.elementInstanceKey }] }),
    });
  }

  /**
   * Operate's "add": an activate instruction alone. Where the element's flow scope has several active
   * instances the engine refuses it, and the page shows why rather than choosing one of them.
   */
  function addToken(button, status) {
    return modifyTokens(button, status, {
      text: 'The element you choose is activated as well, beside the tokens already there; the steps before it do not run.',
      targets: { label: 'Activate' },
      confirm: 'Add token',
      dismiss: 'Keep as it is',
      outcome: { busy: 'Adding…', done: 'Token added', failed: 'Could not add the token' },
      instructions: (elementId) => ({ activateInstructions: [{ elementId }] }),
    });
  }

  /**
   * A process instance modification once its dialog is confirmed. The dialog asks about the token
   * `at` an element instance, if given; `targets`, if given, offers the diagram's elements (but
   * `except`) in a select, and `instructions` gets the chosen element's id.
   */
  async function modifyTokens(button, status, { at, text, targets, confirm, dismiss, outcome, instructions }) {
    const choices = targets && (diagram?.activationTargets() ?? []).filter((target) => target.id !== targets.except);
    const select = targets && h('select', { name: 'target', 'aria-label': targets.label }, choices.map((t) => h('option', { value: t.id }, t.name ? `${t.name} (${t.id})` : t.id)));
    const title = at ? `${confirm} at ${at.elementName || at.elementId}?` : `${confirm}?`;
    if (!(await confirmDialog({ title, text, confirm, dismiss, content: select && h('label', { class: 'field' }, `${targets.label} `, select) }))) return;
    await runAction({ button, status, ...outcome }, () => api.modifyProcessInstance(key, instructions(select?.value)), refreshNow);
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
      ? ` Nothing is undone: what order ${order.orderId} was charged stays charged, its reserved goods stay reserved, and the order stays ${order.status}. ` +
        (offersCancelOrder(order) ? 'Cancel order refunds and releases instead.' : 'Its requested cancellation refunds and releases; cancelling the instance stops that.')
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

/** A row's token action; what it did is shown in the instance's token status, which outlives the row. */
function tokenButton(label, testId, onClick) {
  const [button] = actionButton(label, testId, onClick);
  return button;
}

/** `tokenActions`, when given, offers to move or cancel the token of each active element instance: `moveToken(item, button)`, `cancelToken(…)`. */
async function loadHistory(key, tokenActions) {
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
      tokenActions
        ? h(
            'td',
            {},
            item.state === 'ACTIVE'
              ? [
                  tokenButton('Move…', 'move-token', (button) => tokenActions.moveToken(item, button)),
                  tokenButton('Cancel token', 'cancel-token', (button) => tokenActions.cancelToken(item, button)),
                ]
              : null,
          )
        : null,
    ),
  );
  return {
    value: result.items ?? [],
    content: [
      h('h2', {}, 'History'),
      items.length === 0
        ? empty('No element has started yet.')
        : h('table', { class: 'grid compact' }, h('thead', {}, h('tr', {}, ['Element', 'Type', 'State', 'Started', 'Ended', ...(tokenActions ? [''] : [])].map((t) => h('th', {}, t)))), h('tbody', {}, rows)),
      total > (result.items ?? []).length ? h('p', { class: 'muted' }, `Showing the first ${(result.items ?? []).length} of ${total} element instances.`) : null,
    ],
  };
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
  const cancelRequested = lastCancelRequest(order);
  const actions = h('div', { class: 'actions' });
  if (offersCancelOrder(order) && session.canWrite) {
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

function lastCancelRequest(order) {
  return (order.timeline ?? []).filter((entry) => entry.type === 'order.cancel-requested').at(-1);
}

/**
 * Cancel order is offered until someone asked: the service would accept a second request (the order
 * stays cancellable until the process has cancelled it), but it would only repeat the first.
 */
function offersCancelOrder(order) {
  return order.cancellable && !lastCancelRequest(order);
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
