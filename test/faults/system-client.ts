/**
 * The HTTP client the fault suite drives the system with, as a shop front and its operators would: a
 * customer's request carries a bearer token signed with the run's `ORDERFLOW_JWT_SECRET`, an operator's
 * the run's ops token. `POST /orders` sends `customerId` in the body until the Order
 * service answers that the field is not accepted (it then comes from the token).
 */
import { randomUUID } from 'node:crypto';
import { signCustomerToken } from '../../lib/http/customer-auth.js';
import type { SystemUnderTest } from '../../scripts/system/index.js';

export interface HttpAnswer {
  status: number;
  body: any;
}

type ServiceName = 'order' | 'payment' | 'inventory';

/** Thrown when a service answers a request the suite needs with an unexpected status. */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly what: string,
    readonly answer: HttpAnswer,
  ) {
    super(`Expected ${what}, but got ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
    this.name = 'UnexpectedAnswerError';
  }
}

export class SystemClient {
  private customerIdInBody = true;
  private readonly tokens = new Map<string, string>();

  constructor(private readonly system: SystemUnderTest) {}

  /** `customerId`: the customer the request is made as; `ops`: made by an operator, with the run's ops token. */
  async request(service: ServiceName, method: string, path: string, options: { customerId?: string; ops?: boolean; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.customerId) headers.authorization = `Bearer ${await this.tokenFor(options.customerId)}`;
    if (options.ops) headers.authorization = `Bearer ${this.system.opsToken}`;
    const response = await fetch(`${this.system.urls[service]}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // A non-JSON answer is kept as text for the error message.
    }
    return { status: response.status, body };
  }

  /** `POST /cards`; resolves with the card token. */
  async tokenizeCard(customerId: string, number: string, expiry: string): Promise<string> {
    const answer = await this.request('payment', 'POST', '/cards', { customerId, body: { number, expiry, cvc: '123' } });
    if (answer.status !== 201) throw new UnexpectedAnswerError('201 from POST /cards', answer);
    return answer.body.cardToken as string;
  }

  async updateCardExpiry(customerId: string, cardToken: string, expiry: string): Promise<void> {
    const answer = await this.request('payment', 'PUT', `/cards/${cardToken}`, { customerId, body: { expiry } });
    if (answer.status !== 200) throw new UnexpectedAnswerError(`200 from PUT /cards/${cardToken}`, answer);
  }

  /** `POST /orders` with a fresh Idempotency-Key, retried with the same key when the service is briefly unreachable. */
  async placeOrder(customerId: string, order: Record<string, unknown>): Promise<{ orderId: string; total: { amount: number; currency: string } }> {
    const key = randomUUID();
    const send = () => this.request('order', 'POST', '/orders', { customerId, headers: { 'Idempotency-Key': key }, body: this.customerIdInBody ? { customerId, ...order } : order });
    let answer = await withRetries(send);
    if (answer.status === 400 && this.customerIdInBody && JSON.stringify(answer.body).includes('customerId')) {
      this.customerIdInBody = false;
      answer = await withRetries(send);
    }
    if (answer.status !== 201 && answer.status !== 200) throw new UnexpectedAnswerError('201 from POST /orders', answer);
    return { orderId: answer.body.orderId as string, total: answer.body.total };
  }

  async orderStatus(customerId: string, orderId: string): Promise<string> {
    const answer = await withRetries(() => this.request('order', 'GET', `/orders/${orderId}`, { customerId }));
    if (answer.status !== 200) throw new UnexpectedAnswerError(`200 from GET /orders/${orderId}`, answer);
    return answer.body.status as string;
  }

  /** `POST /orders/:id/cancel`; resolves with the status, as 409 (no longer cancellable) is a fair answer. */
  async cancelOrder(customerId: string, orderId: string): Promise<number> {
    return (await withRetries(() => this.request('order', 'POST', `/orders/${orderId}/cancel`, { customerId }))).status;
  }

  async setStock(sku: string, quantity: number): Promise<void> {
    const answer = await this.request('inventory', 'PUT', `/stock/${sku}`, { ops: true, body: { quantity } });
    if (answer.status !== 200) throw new UnexpectedAnswerError(`200 from PUT /stock/${sku}`, answer);
  }

  private async tokenFor(customerId: string): Promise<string> {
    let token = this.tokens.get(customerId);
    if (!token) {
      token = await signCustomerToken(customerId, { secret: this.system.jwtSecret, usingDevSecret: false }, { ttlSeconds: 3_600 });
      this.tokens.set(customerId, token);
    }
    return token;
  }
}

/**
 * A service being restarted by a fault refuses connections for a moment, and one whose dependency is
 * down answers 5xx: a customer tries again, and so does the stream (the requests it retries are idempotent).
 */
async function withRetries(send: () => Promise<HttpAnswer>, attempts = 60): Promise<HttpAnswer> {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await send();
      if (answer.status < 500 || attempt >= attempts) return answer;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
