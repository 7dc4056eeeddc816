import { api, displayValue } from '../api.js';
import { empty, errorBox, h, replace } from '../dom.js';
import { confirmDialog } from './confirm-dialog.js';
import { actionButton, runAction } from './run-action.js';

const VARIABLES_LIMIT = 500;
/** How long a saved value may take to reach the search; Camunda's secondary storage follows the engine with a lag. */
const SEARCH_CATCH_UP_MS = 3_000;

/**
 * An instance's variables table. With `edits` (`{ refreshNow }`, for a token that may write on an
 * active instance) each variable whose scope is still active has Edit, and the process instance
 * has Add variable: Operate's repair of a wrong value before a Retry.
 */
export async function loadVariables(key, elementHistory, edits) {
  const result = await api.searchVariables({ filter: { processInstanceKey: key }, sort: [{ field: 'name', order: 'ASC' }], page: { limit: VARIABLES_LIMIT } });
  const items = result.items ?? [];
  const scopes = new Map((elementHistory ?? []).map((e) => [e.elementInstanceKey, e]));
  const scopeName = (scopeKey) => (scopeKey === key ? 'process' : (scopes.get(scopeKey)?.elementName || scopes.get(scopeKey)?.elementId || scopeKey));
  // A scope that has ended takes no variables: the engine would answer 404.
  const editable = (variable) => variable.scopeKey === key || scopes.get(variable.scopeKey)?.state === 'ACTIVE';
  const context = { processInstanceKey: key, refreshNow: edits?.refreshNow };
  const rows = items.map((variable) =>
    h(
      'tr',
      { dataset: { name: variable.name, scopeKey: variable.scopeKey } },
      h('td', { class: 'mono' }, variable.name),
      h('td', { class: 'muted' }, scopeName(variable.scopeKey)),
      h('td', { class: 'mono value' }, displayValue(variable.value), variable.isTruncated ? h('span', { class: 'muted' }, ' … (truncated)') : null),
      edits ? h('td', {}, editable(variable) ? editButton(variable, scopeName(variable.scopeKey), context) : null) : null,
    ),
  );
  return {
    value: items,
    content: [
      h('div', { class: 'section-head' }, h('h2', {}, 'Variables'), edits ? h('div', { class: 'actions' }, addButton(items, context)) : null),
      items.length === 0
        ? empty('No variables.')
        : h('table', { class: 'grid compact' }, h('thead', {}, h('tr', {}, ['Name', 'Scope', 'Value', ...(edits ? [''] : [])].map((t) => h('th', {}, t)))), h('tbody', {}, rows)),
    ],
  };
}

function editButton(variable, scopeName, context) {
  return actionButton('Edit', 'edit-variable', async (button, status) => {
    let current = variable.value;
    try {
      // The search cuts long values; the editor must start from the whole one.
      if (variable.isTruncated) current = (await api.getVariable(variable.variableKey)).value;
    } catch (error) {
      replace(status, errorBox(error, `Could not read ${variable.name}`));
      return;
    }
    const value = jsonField(prettyJson(current));
    const confirmed = await confirmDialog({
      title: `Edit ${variable.name}`,
      text: `The new value replaces this one in the ${scopeName === 'process' ? 'process instance' : `${scopeName} scope`}. Steps read it from now on; a step that failed reads it once its incident is retried.`,
      content: value.field,
      validate: value.problem,
      confirm: 'Save value',
      dismiss: 'Keep the value',
    });
    if (confirmed) await save({ button, status }, context, variable.scopeKey, variable.name, value.parsed());
  });
}

function addButton(items, context) {
  return actionButton('Add variable', 'add-variable', async (button, status) => {
    const taken = new Set(items.filter((v) => v.scopeKey === context.processInstanceKey).map((v) => v.name));
    const name = h('input', { name: 'name', class: 'mono', autocomplete: 'off', spellcheck: 'false' });
    const value = jsonField('');
    const confirmed = await confirmDialog({
      title: 'Add a variable',
      text: `The variable is set on instance ${context.processInstanceKey} itself, where every step can read it.`,
      content: [h('label', { class: 'field stacked' }, 'Name', name), value.field],
      validate: () => nameProblem(name.value.trim(), taken) ?? value.problem(),
      confirm: 'Add variable',
      dismiss: 'Don’t add',
    });
    if (confirmed) await save({ button, status }, context, context.processInstanceKey, name.value.trim(), value.parsed());
  });
}

function nameProblem(name, taken) {
  if (name === '') return 'Expected a name for the variable.';
  if (taken.has(name)) return `The instance already has a variable ${name}: use Edit on its row to change it.`;
  return undefined;
}

/** A text area for a value as JSON: `problem()` says why its text is not JSON, `parsed()` is the value. */
function jsonField(text) {
  const textarea = h('textarea', { name: 'value', class: 'mono', rows: 6, spellcheck: 'false' });
  textarea.value = text;
  return {
    field: h('label', { class: 'field stacked' }, 'Value (JSON)', textarea),
    parsed: () => JSON.parse(textarea.value),
    problem: () => jsonProblem(textarea.value),
  };
}

function jsonProblem(text) {
  const hint = 'Write text in double quotes, "like this"; numbers, true, false, null, [lists] and {objects} as they are.';
  if (text.trim() === '') return `Expected a value, but the field is empty. ${hint}`;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `The value must be JSON. ${error.message}. ${hint}`;
  }
}

function prettyJson(jsonText) {
  try {
    return JSON.stringify(JSON.parse(jsonText), null, 2);
  } catch {
    return jsonText;
  }
}

/** Sets the variable in `scopeKey` itself, then redraws once the search shows the new value rather than the old. */
function save(control, { processInstanceKey, refreshNow }, scopeKey, name, value) {
  return runAction({ ...control, busy: 'Saving…', done: 'Saved', failed: `Could not set ${name}` }, async () => {
    await api.setLocalVariables(scopeKey, { [name]: value });
    await untilSearchShows({ processInstanceKey, scopeKey, name }, JSON.stringify(value));
  }, refreshNow);
}

async function untilSearchShows(filter, expected) {
  const deadline = Date.now() + SEARCH_CATCH_UP_MS;
  while (Date.now() < deadline) {
    const { items = [] } = await api.searchVariables({ filter, page: { limit: 1 } });
    if (items.some((v) => v.isTruncated || prettyJson(v.value) === prettyJson(expected))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
