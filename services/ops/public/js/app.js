/**
 * The ops page: hash routes, each drawn by one view module into `#view`. A view returns
 * `{ dispose() }` so its timers and diagram go away when the user navigates elsewhere.
 */
import { checkSession, onUnauthorized, session } from './api.js';
import { h, hashPath, replace } from './dom.js';
import { renderSignIn } from './views/sign-in.js';
import { renderProcesses } from './views/processes.js';
import { renderInstances } from './views/instances.js';
import { renderInstanceDetail } from './views/instance-detail.js';
import { renderProcessDefinition } from './views/process-definition.js';
import { renderStuckOrders } from './views/stuck-orders.js';
import { renderBatchOperations } from './views/batch-operation-list.js';
import { renderBatchOperationDetail } from './views/batch-operation-detail.js';

const routes = [
  { pattern: /^\/processes$/, nav: 'processes', render: (view) => renderProcesses(view) },
  { pattern: /^\/processes\/([^/]+)$/, nav: 'processes', render: (view, [key]) => renderProcessDefinition(view, key) },
  { pattern: /^\/instances$/, nav: 'instances', render: (view) => renderInstances(view) },
  { pattern: /^\/instances\/([^/]+)$/, nav: 'instances', render: (view, [key]) => renderInstanceDetail(view, key) },
  { pattern: /^\/batch-operations$/, nav: 'batch-operations', render: (view) => renderBatchOperations(view) },
  { pattern: /^\/batch-operations\/([^/]+)$/, nav: 'batch-operations', render: (view, [key]) => renderBatchOperationDetail(view, key) },
  { pattern: /^\/stuck-orders$/, nav: 'stuck-orders', render: (view) => renderStuckOrders(view) },
];

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const sessionBox = document.getElementById('session');
let current;
let lastPath;

function dispose() {
  current?.dispose?.();
  current = undefined;
}

function showSignIn(problem) {
  dispose();
  lastPath = undefined;
  session.token = null;
  nav.hidden = true;
  replace(sessionBox);
  current = renderSignIn(view, { problem, onSignedIn: () => route(true) });
}

function showSession() {
  nav.hidden = false;
  replace(
    sessionBox,
    h('span', { class: `role ${session.canWrite ? 'role-write' : 'role-read'}`, 'data-testid': 'session-role' }, session.canWrite ? 'read + write' : 'read only'),
    h('button', { type: 'button', class: 'link-button', onclick: () => showSignIn() }, 'Sign out'),
  );
}

/** Draws the view of the current hash; a change of query only (filters) is left to the view itself. */
function route(force = false) {
  if (!session.token) return showSignIn();
  const path = hashPath();
  if (!force && path === lastPath && current?.onQueryChange) return current.onQueryChange();
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find(({ m }) => m);
  if (!match) {
    location.hash = '#/processes';
    return;
  }
  dispose();
  lastPath = path;
  showSession();
  for (const link of nav.querySelectorAll('a')) link.classList.toggle('current', link.dataset.nav === match.r.nav);
  current = match.r.render(view, match.m.slice(1).map(decodeURIComponent));
}

onUnauthorized((problem) => showSignIn(problem));
window.addEventListener('hashchange', () => route());

async function start() {
  if (!session.token) return showSignIn();
  try {
    await checkSession();
    route(true);
  } catch (problem) {
    showSignIn(problem);
  }
}

// bpmn-js is a deferred classic script: it has run once DOMContentLoaded fired.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
