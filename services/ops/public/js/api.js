/**
 * The page's only way to the orchestration cluster: Camunda 8.8's REST API (`/v2`) through the ops
 * server's proxy, with the token the user signed in with as the bearer; the Order service's operator
 * endpoints (`/ops/orders`, `/ops/stuck-orders`) go the same way. The token lives in
 * sessionStorage: it is gone when the tab closes and is never sent anywhere but this origin.
 */

const TOKEN_KEY = 'orderflow.ops.token';

/** A refused or failed API call, carrying the problem+json fields the page shows. */
export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  /** Filled by {@link checkSession}; write actions are shown only when `canWrite`. */
  canWrite: false,
};

/** Listeners told when the API says the token is not (or no longer) accepted. */
const unauthorizedListeners = new Set();
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

async function toApiError(response) {
  let title = `HTTP ${response.status}`;
  let detail = response.statusText;
  const text = await response.text().catch(() => '');
  try {
    const problem = JSON.parse(text);
    title = problem.title ?? title;
    detail = problem.detail ?? detail;
  } catch {
    if (text) detail = text.slice(0, 300);
  }
  return new ApiError(response.status, title, detail);
}

/**
 * `ownsSession: false` for the Order service's endpoints: a 401 there (a service configured with
 * other tokens) is that panel's problem, not a reason to sign out of the page.
 */
async function request(method, path, { body, accept = 'application/json', ownsSession = true } = {}) {
  const headers = { accept };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, 'Ops server unreachable', `Expected the ops server to answer, but ${error.message}`);
  }
  if (response.status === 401 && ownsSession) {
    const error = await toApiError(response);
    unauthorizedListeners.forEach((listener) => listener(error));
    throw error;
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

/** Asks the ops server what the token may do; the answer comes from the API itself. */
export async function checkSession() {
  const answer = await request('GET', '/ops/session');
  session.canWrite = answer.canWrite === true;
  return answer;
}

export const api = {
  searchProcessDefinitions: (body) => request('POST', '/v2/process-definitions/search', { body }),
  getProcessDefinition: (key) => request('GET', `/v2/process-definitions/${encodeURIComponent(key)}`),
  getProcessDefinitionXml: (key) => request('GET', `/v2/process-definitions/${encodeURIComponent(key)}/xml`, { accept: 'text/xml, application/json' }),
  processDefinitionElementStatistics: (key, filter) =>
    request('POST', `/v2/process-definitions/${encodeURIComponent(key)}/statistics/element-instances`, { body: filter ? { filter } : {} }),
  searchProcessInstances: (body) => request('POST', '/v2/process-instances/search', { body }),
  getProcessInstance: (key) => request('GET', `/v2/process-instances/${encodeURIComponent(key)}`),
  cancelProcessInstance: (key) => request('POST', `/v2/process-instances/${encodeURIComponent(key)}/cancellation`, { body: {} }),
  modifyProcessInstance: (key, body) => request('POST', `/v2/process-instances/${encodeURIComponent(key)}/modification`, { body }),
  sequenceFlows: (key) => request('GET', `/v2/process-instances/${encodeURIComponent(key)}/sequence-flows`),
  processInstanceElementStatistics: (key) => request('GET', `/v2/process-instances/${encodeURIComponent(key)}/statistics/element-instances`),
  searchElementInstances: (body) => request('POST', '/v2/element-instances/search', { body }),
  searchIncidents: (body) => request('POST', '/v2/incidents/search', { body }),
  resolveIncident: (key) => request('POST', `/v2/incidents/${encodeURIComponent(key)}/resolution`, { body: {} }),
  /** Every job incident of the active instances matching `filter` gets 1 retry and is resolved; resolves with the batch operation. */
  resolveIncidentsOfInstances: (filter) => request('POST', '/v2/process-instances/incident-resolution', { body: { filter } }),
  /** Cancels the active instances matching `filter`; resolves with the batch operation. */
  cancelProcessInstances: (filter) => request('POST', '/v2/process-instances/cancellation', { body: { filter } }),
  getBatchOperation: (key) => request('GET', `/v2/batch-operations/${encodeURIComponent(key)}`),
  searchBatchOperations: (body) => request('POST', '/v2/batch-operations/search', { body }),
  searchBatchOperationItems: (body) => request('POST', '/v2/batch-operation-items/search', { body }),
  searchVariables: (body) => request('POST', '/v2/variables/search', { body }),
  getVariable: (key) => request('GET', `/v2/variables/${encodeURIComponent(key)}`),
  /** `local`: each value is set in this very scope, never in an enclosing one that has the same name (Operate edits so). */
  setLocalVariables: (elementInstanceKey, variables) =>
    request('PUT', `/v2/element-instances/${encodeURIComponent(elementInstanceKey)}/variables`, { body: { variables, local: true } }),
  updateJobRetries: (jobKey, retries) => request('PATCH', `/v2/jobs/${encodeURIComponent(jobKey)}`, { body: { changeset: { retries } } }),
  // The Order service's operator endpoints, through the ops server too.
  getOrder: (orderId) => request('GET', `/ops/orders/${encodeURIComponent(orderId)}`, { ownsSession: false }),
  cancelOrder: (orderId) => request('POST', `/ops/orders/${encodeURIComponent(orderId)}/cancellation`, { ownsSession: false }),
  stuckOrders: () => request('GET', '/ops/stuck-orders', { ownsSession: false }),
};

/** How many process instances match: the search's `page.totalItems`, fetching one item at most. */
export async function countProcessInstances(filter) {
  const result = await api.searchProcessInstances({ filter, page: { limit: 1 } });
  return result.page?.totalItems ?? result.items?.length ?? 0;
}

/** A variable's value as Camunda stores it: JSON text, shown without quotes when it is a string. */
export function displayValue(jsonText) {
  try {
    const value = JSON.parse(jsonText);
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return jsonText;
  }
}
