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
 * @param {{ method?: string, token?: string, body?: unknown, headers?: Record<string, string> }} options
 */
export async function callJson(url, { method = 'GET', token, body, headers = {} } = {}) {
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
    throw new ApiError({ status: 0, title: 'Service unreachable', detail: `Could not reach ${new URL(url).host}; check that it is running and try again.` });
  }
  const text = await response.text();
  const payload = text ? safeParse(text) : undefined;
  if (!response.ok) {
    const problem = payload && typeof payload === 'object' && 'title' in payload ? payload : { status: response.status, title: response.statusText || 'Request failed', detail: text.slice(0, 200) };
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

export const orderApi = {
  config: () => callJson('/checkout/config'),
  devLogin: (customerId) => callJson('/dev/login', { method: 'POST', body: { customerId } }),
  products: () => callJson('/products'),
  placeOrder: (token, order, idempotencyKey) => callJson('/orders', { method: 'POST', token, body: order, headers: { 'idempotency-key': idempotencyKey } }),
  order: (token, orderId) => callJson(`/orders/${encodeURIComponent(orderId)}`, { token }),
  cancel: (token, orderId) => callJson(`/orders/${encodeURIComponent(orderId)}/cancel`, { method: 'POST', token }),
  streamToken: (token, orderId) => callJson(`/orders/${encodeURIComponent(orderId)}/event-stream-tokens`, { method: 'POST', token }),
};

/** @param {string} paymentUrl the Payment service's origin */
export function paymentApi(paymentUrl) {
  return {
    tokenizeCard: (token, card) => callJson(`${paymentUrl}/cards`, { method: 'POST', token, body: card }),
    updateCard: (token, cardToken, changes) => callJson(`${paymentUrl}/cards/${encodeURIComponent(cardToken)}`, { method: 'PUT', token, body: changes }),
  };
}
