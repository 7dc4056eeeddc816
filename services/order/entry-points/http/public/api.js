// Calls to the Order service (same origin) and the Payment service (its own origin, CORS).
// Every failure becomes an ApiError carrying the problem+json the service answered with.

export class ApiError extends Error {
  /** @param {{ status: number, title: string, detail: string, errors?: { field: string, message: string }[] }} problem */
  constructor(problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }
}

/**
 * @param {string} url
 * @param {{ service: string, method?: string, token?: string, body?: unknown, headers?: Record<string, string> }} options `service` names it to the shopper when it cannot be reached or answers without problem details
 */
export async function callJson(url, { service, method = 'GET', token, body, headers = {} }) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, title: 'Service unreachable', detail: `Could not reach ${service}; check your connection and try again in a moment.` });
  }
  const text = await response.text();
  const payload = text ? safeParse(text) : undefined;
  if (!response.ok) {
    // Not problem+json (a proxy's error page, say): its body means nothing to a shopper.
    const problem = payload && typeof payload === 'object' && 'title' in payload ? payload : { title: response.statusText || 'Request failed', detail: `No explanation came from ${service} (HTTP ${response.status}); try again in a moment.` };
    throw new ApiError({ ...problem, status: response.status, retryAfter: response.headers.get('retry-after') });
  }
  return payload;
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const shop = (path, options = {}) => callJson(path, { service: 'the shop', ...options });

export const orderApi = {
  config: () => shop('/checkout/config'),
  devLogin: (customerId) => shop('/dev/login', { method: 'POST', body: { customerId } }),
  products: () => shop('/products'),
  placeOrder: (token, order, idempotencyKey) => shop('/orders', { method: 'POST', token, body: order, headers: { 'idempotency-key': idempotencyKey } }),
  order: (token, orderId) => shop(`/orders/${encodeURIComponent(orderId)}`, { token }),
  cancel: (token, orderId) => shop(`/orders/${encodeURIComponent(orderId)}/cancel`, { method: 'POST', token }),
  streamToken: (token, orderId) => shop(`/orders/${encodeURIComponent(orderId)}/event-stream-tokens`, { method: 'POST', token }),
};

/** @param {string} paymentUrl the Payment service's origin */
export function paymentApi(paymentUrl) {
  const payment = (path, options) => callJson(`${paymentUrl}${path}`, { service: 'the Payment service', ...options });
  return {
    tokenizeCard: (token, card) => payment('/cards', { method: 'POST', token, body: card }),
    updateCard: (token, cardToken, changes) => payment(`/cards/${encodeURIComponent(cardToken)}`, { method: 'PUT', token, body: changes }),
  };
}
