/**
 * `/v2/*` on the ops server, forwarded to the orchestration cluster REST API, and the Order service's
 * operator endpoints under `/ops/`. The browser talks to its own origin only (no CORS), and the
 * caller's `Authorization` header travels as it came: the ops server holds no token, so what a caller
 * may do is exactly what the API grants its token.
 */
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { problem, sendProblem } from '../../../../lib/http/problem-details.js';

/** The largest request the page sends is a search body; deployments do not go through the ops page. */
export const PROXY_BODY_LIMIT = '256kb';

/** Request headers the API needs; cookies and anything else the browser adds stay here. */
const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept'] as const;
/** Response headers the page reads; hop-by-hop and encoding headers are the proxy's own business. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'www-authenticate', 'retry-after'] as const;

export interface ApiProxyOptions {
  /** Base URL of the API: the path of a request is appended as it came (`/v2/…`, `/ops/…`). */
  apiUrl: string;
  /** What the API is, for errors: "the orchestration cluster API". */
  name: string;
  timeoutMs: number;
  logger: Logger;
}

/** Sends one request to the API; also used by the session probe, so both fail the same way. */
export class ApiClient {
  constructor(private readonly options: ApiProxyOptions) {}

  get apiUrl(): string {
    return this.options.apiUrl;
  }

  /** @throws ApiUnreachableError when the API does not answer within the timeout or refuses the connection. */
  async send(request: { method: string; path: string; headers: Record<string, string>; body?: Buffer }): Promise<globalThis.Response> {
    const url = `${this.options.apiUrl}${request.path}`;
    try {
      return await fetch(url, {
        method: request.method,
        headers: request.headers,
        ...(request.body && request.body.length > 0 ? { body: request.body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new ApiUnreachableError(this.options.name, this.options.apiUrl, this.options.timeoutMs, error);
    }
  }
}

/** Thrown by {@link ApiClient.send} when the API cannot be reached; `timedOut` tells a 504 from a 502. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  readonly timedOut: boolean;
  constructor(
    apiName: string,
    readonly apiUrl: string,
    timeoutMs: number,
    override readonly cause: unknown,
  ) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    const reason = timedOut ? `it did not answer within ${timeoutMs} ms` : describeCause(cause);
    super(`Expected ${apiName} at ${apiUrl} to answer, but ${reason}`);
    this.timedOut = timedOut;
  }
}

function describeCause(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof inner?.code === 'string') return `the connection failed (${inner.code})`;
  if (typeof inner?.message === 'string') return `the request failed (${inner.message})`;
  return `the request failed (${cause instanceof Error ? cause.message : String(cause)})`;
}

export function sendUnreachable(response: Response, error: ApiUnreachableError): void {
  sendProblem(response, problem(error.timedOut ? 504 : 502, error.timedOut ? 'API timeout' : 'API unreachable', error.message));
}

export function forwardedHeaders(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** A router forwarding every method and path below where it is mounted, body as raw bytes. */
export function apiProxyRouter(client: ApiClient, logger: Logger): Router {
  const router = Router();
  router.use(express.raw({ type: () => true, limit: PROXY_BODY_LIMIT }));
  router.use(proxyHandler(client, logger));
  return router;
}

function proxyHandler(client: ApiClient, logger: Logger): RequestHandler {
  return async (request, response) => {
    const started = performance.now();
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    let upstream: globalThis.Response;
    try {
      upstream = await client.send({ method: request.method, path: request.originalUrl, headers: forwardedHeaders(request), ...(body ? { body } : {}) });
    } catch (error) {
      if (!(error instanceof ApiUnreachableError)) throw error;
      logger.warn({ method: request.method, path: request.originalUrl, apiUrl: client.apiUrl, timedOut: error.timedOut, reason: error.message }, 'API request failed');
      return sendUnreachable(response, error);
    }
    const payload = Buffer.from(await upstream.arrayBuffer());
    response.status(upstream.status);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) response.set(name, value);
    }
    response.send(payload);
    logger.debug({ method: request.method, path: request.originalUrl, status: upstream.status, durationMs: Math.round(performance.now() - started) }, 'API request proxied');
  };
}
