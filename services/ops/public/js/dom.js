/** Small DOM helpers: the page builds its elements with `h`, never with HTML strings of API data. */

/**
 * `h('a', { href: '#/x', class: 'link' }, 'text', child)`: attributes starting with `on` become
 * listeners, `false`/`null`/`undefined` attributes and children are left out.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the element's content. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function formatDate(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDuration(startIso, endIso) {
  if (!startIso) return '';
  const ms = (endIso ? new Date(endIso) : new Date()).getTime() - new Date(startIso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'state loading', role: 'status' }, text);
}

export function empty(text) {
  return h('p', { class: 'state empty' }, text);
}

/** The API's problem+json as the user should read it: title, then detail. */
export function errorBox(error, context) {
  const title = error?.title ?? 'Request failed';
  const detail = error?.detail ?? (error instanceof Error ? error.message : String(error));
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, context ? `${context}: ${title}` : title), detail ? h('p', {}, detail) : null);
}

/** A coloured label for an instance's state; an active instance with an incident reads "Incident". */
export function stateBadge(state, hasIncident) {
  const label = hasIncident && state === 'ACTIVE' ? 'INCIDENT' : state;
  return h('span', { class: `badge badge-${String(label).toLowerCase()}` }, label === 'TERMINATED' ? 'CANCELED' : label);
}

/** A name and its value in a `dl.facts`. */
export function fact(name, value) {
  return [h('dt', {}, name), h('dd', {}, value)];
}

/** Parses `a=1&b=2` from the part of the hash after `?`. */
export function hashQuery() {
  const hash = location.hash.replace(/^#/, '');
  const index = hash.indexOf('?');
  return new URLSearchParams(index === -1 ? '' : hash.slice(index + 1));
}

export function hashPath() {
  const hash = location.hash.replace(/^#/, '') || '/processes';
  const index = hash.indexOf('?');
  return index === -1 ? hash : hash.slice(0, index);
}
