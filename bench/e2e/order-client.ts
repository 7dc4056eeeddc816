/**
 * The benchmark's client of the Order, Payment and Inventory APIs, over HTTP as a shop and its
 * operators would call them: each customer signs in with a bearer token and tokenizes a card of their
 * own; restocking takes the ops token.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { signCustomerToken, type CustomerAuthConfig } from '../../lib/http/customer-auth.js';

/** Thrown when an API answers other than the benchmark expects; carries the status and body. */
export class UnexpectedResponseError extends Error {
  constructor(
    readonly request: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`Expected ${request} to succeed, but it answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'UnexpectedResponseError';
  }
}

export interface Customer {
  id: string;
  token: string;
  cardToken: string;
}

export interface CardDetails {
  number: string;
  /** MM/YY */
  expiry: string;
}

export const BENCH_SKU = 'SKU-MUG';
const MAX_PLACE_ATTEMPTS = 8;
const RETRY_BASE_MS = 100;
const RETRY_CAP_MS = 2_000;

const retryable = (status: number) => status === 429 || status >= 500;
const TOKEN_TTL_SECONDS = 24 * 3600;

export class OrderClient {
  /** `POST /orders` answers that were retried: each is a request the Order service could not take at the time. */
  placeRetries = 0;

  constructor(
    private readonly urls: { order: string; payment: string; inventory: string },
    private readonly auth: CustomerAuthConfig,
    /** `ORDERFLOW_OPS_TOKEN` of the system, for the restock. */
    private readonly opsToken: string,
  ) {}

  /** Signs the customer in and tokenizes the card for them at the Payment service. */
  async customer(id: string, card: CardDetails): Promise<Customer> {
    const token = await signCustomerToken(id, this.auth, { ttlSeconds: TOKEN_TTL_SECONDS });
    const body = await this.call('POST /cards', `${this.urls.payment}/cards`, { method: 'POST', token, body: { ...card, cvc: '123' } }, 201);
    return { id, token, cardToken: (body as { cardToken: string }).cardToken };
  }

  async setStock(sku: string, quantity: number): Promise<void> {
    await this.call(`PUT /stock/${sku}`, `${this.urls.inventory}/stock/${sku}`, { method: 'PUT', token: this.opsToken, body: { quantity } }, 200);
  }

  /**
   * Places one order of one unit of {@link BENCH_SKU}; resolves with its id. A 5xx or 429 is retried
   * with the same Idempotency-Key, as the Order API invites, so the order is placed once.
   */
  async placeOrder(customer: Customer): Promise<string> {
    const body = {
      items: [{ sku: BENCH_SKU, quantity: 1 }],
      cardToken: customer.cardToken,
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    };
    const headers = { 'Idempotency-Key': randomUUID() };
    for (let attempt = 1; ; attempt++) {
      try {
        const placed = await this.call('POST /orders', `${this.urls.order}/orders`, { method: 'POST', token: customer.token, body, headers }, 201);
        return (placed as { orderId: string }).orderId;
      } catch (error) {
        if (!(error instanceof UnexpectedResponseError) || !retryable(error.status) || attempt >= MAX_PLACE_ATTEMPTS) throw error;
        this.placeRetries++;
        await delay(Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1)));
      }
    }
  }

  private async call(request: string, url: string, options: { method: string; token?: string; body?: unknown; headers?: Record<string, string> }, expected: number): Promise<unknown> {
    const response = await fetch(url, {
      method: options.method,
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    if (response.status !== expected) throw new UnexpectedResponseError(request, response.status, text);
    return text ? JSON.parse(text) : undefined;
  }
}
