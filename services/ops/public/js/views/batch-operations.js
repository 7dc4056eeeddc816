import { api, countProcessInstances } from '../api.js';
import { errorBox, h, replace } from '../dom.js';
import { poll } from '../poller.js';
import { batchOperationHref, countsOf, errorsOf, FINAL_STATES } from './batch-operation-summary.js';
import { confirmDialog } from './confirm-dialog.js';

/** How often a running batch operation is asked about. */
const FOLLOW_INTERVAL_MS = 1_000;
/** A batch operation is readable a moment after the API accepted it: until then its 404 means "not yet". */
const NOT_YET_READABLE_MS = 5_000;

/**
 * Operate's batch operations on every instance the list's filters match, not only the page shown.
 * Each is data: which instances it can touch (`affected`, a process instance filter, or undefined
 * when none can), what its dialog says of how many, how it starts, and how its progress reads.
 */
const BATCH_ACTIONS = [
  {
    testId: 'retry-all',
    label: 'Retry all incidents',
    buttonClass: 'primary',
    affected: (filter) => (filter.hasIncident === false ? undefined : withActiveOnly(filter, { hasIncident: true })),
    none: 'No active instance matching these filters has an incident.',
    dialog: (count) => ({
      title: `Retry the incidents of ${countOf(count, 'instance')}?`,
      text:
        `Every open incident of the ${countOf(count, 'active instance')} with incidents matching these filters is retried: ` +
        'a failed job gets 1 retry and its incident is resolved, so the instance carries on where it stopped. An incident whose cause remains comes back.',
      confirm: 'Retry all incidents',
      dismiss: 'Not now',
    }),
    start: (filter) => api.resolveIncidentsOfInstances(filter),
    wording: { running: 'Retrying incidents', finished: 'Retried', items: 'incidents', failed: 'Could not retry the incidents' },
  },
  {
    testId: 'cancel-all',
    label: 'Cancel all',
    buttonClass: 'danger',
    affected: (filter) => withActiveOnly(filter),
    none: 'No active instance matches these filters.',
    dialog: (count) => ({
      title: `Cancel ${countOf(count, 'instance')}?`,
      text:
        `Each of the ${countOf(count, 'active instance')} matching these filters stops where it is; none of its remaining steps run and nothing is compensated: ` +
        'an order it checks out keeps what it was charged and what it reserved. This cannot be undone.',
      confirm: 'Cancel all',
      dismiss: 'Keep them running',
    }),
    start: (filter) => api.cancelProcessInstances(filter),
    wording: { running: 'Cancelling instances', finished: 'Cancelled', items: 'instances', failed: 'Could not cancel the instances' },
  },
];

/**
 * The list's batch actions and the status of the one running. `currentFilter()` is the process
 * instance filter the list searches with; `refreshNow()` redraws the list once an operation ended.
 * The returned `stop()` stops following the operation (the view was left).
 */
export function batchActions({ currentFilter, refreshNow }) {
  const status = h('div', { class: 'batch-status', role: 'status', 'data-testid': 'batch-status' });
  let following;
  const run = async (action) => {
    setBusy(true);
    try {
      const operation = await confirmAndStart(action, currentFilter(), status);
      if (!operation) return setBusy(false);
      following = followBatchOperation(status, operation, action.wording, () => {
        setBusy(false);
        void refreshNow();
      });
    } catch (error) {
      setBusy(false);
      replace(status, errorBox(error, action.wording.failed));
    }
  };
  const buttons = BATCH_ACTIONS.map((action) => h('button', { type: 'button', class: action.buttonClass, 'data-testid': action.testId, onclick: () => run(action) }, action.label));
  // One batch operation at a time: its status line follows that one.
  const setBusy = (busy) => buttons.forEach((button) => (button.disabled = busy));
  return {
    element: h('div', { class: 'batch-actions', 'data-testid': 'batch-actions' }, h('div', { class: 'actions' }, buttons), status),
    stop: () => following?.stop(),
  };
}

/** Counts what `action` would touch, asks, and starts it; resolves with the accepted operation, or undefined when there is nothing to do or the user declined. */
async function confirmAndStart(action, filter, status) {
  const affected = action.affected(filter);
  const count = affected ? await countProcessInstances(affected) : 0;
  if (count === 0) {
    replace(status, action.none);
    return undefined;
  }
  if (!(await confirmDialog(action.dialog(count)))) return undefined;
  replace(status, `${action.wording.running}…`);
  return action.start(filter);
}

/**
 * Asks about the batch operation every second until it has ended, showing its progress in
 * `status` as a link to the operation's items (which of them failed, and why), then calls `onEnd`.
 * The batch operation's counts come from the engine's projection, which reads it a moment after it
 * was created: a 404 is waited out for a few seconds.
 */
function followBatchOperation(status, { batchOperationKey }, wording, onEnd) {
  const acceptedAt = Date.now();
  const end = (...content) => {
    poller.stop();
    replace(status, ...content);
    onEnd();
  };
  const poller = poll(async () => {
    let operation;
    try {
      operation = await api.getBatchOperation(batchOperationKey);
    } catch (error) {
      if (error.status === 404 && Date.now() - acceptedAt < NOT_YET_READABLE_MS) return;
      return end(errorBox(error, `Could not follow batch operation ${batchOperationKey}`));
    }
    const toItems = (text) => h('a', { href: batchOperationHref(batchOperationKey), 'data-testid': 'batch-operation-link' }, text);
    if (!FINAL_STATES.has(operation.state)) return void replace(status, toItems(progressText(operation, wording)));
    if (operation.state === 'FAILED') return end(errorBox({ title: 'Batch operation failed', detail: failureDetail(operation, wording) }, wording.failed), toItems('Its items'));
    end(toItems(outcomeText(operation, wording)));
  }, FOLLOW_INTERVAL_MS);
  return poller;
}

/** "Retrying incidents: 37 of 40 done, 1 failed" */
function progressText(operation, { running }) {
  const { done, total, failed } = countsOf(operation);
  return `${running}: ${done} of ${total} done${failed > 0 ? `, ${failed} failed` : ''}`;
}

/** "Retried 39 of 40 incidents; 1 failed": a failed item is one the engine refused, an incident already resolved say. */
function outcomeText(operation, { finished, items }) {
  const { done, total, failed } = countsOf(operation);
  return `${finished} ${done} of ${total} ${items}${failed > 0 ? `; ${failed} failed` : ''}`;
}

/** What was done before the operation failed, and the engine's reasons. */
function failureDetail(operation, wording) {
  return [outcomeText(operation, wording), ...errorsOf(operation)].join('\n');
}

/**
 * The active instances of `filter`, with `extra`. Camunda 8.8 ignores a state in a batch operation's
 * filter and acts on the active instances it matches: where the filter asks for ended instances,
 * undefined, so that no batch action touches active ones the list does not show.
 */
function withActiveOnly(filter, extra = {}) {
  if (filter.state && filter.state !== 'ACTIVE') return undefined;
  return { ...filter, ...extra, state: 'ACTIVE' };
}

/** "1 instance", "40 instances" */
function countOf(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
