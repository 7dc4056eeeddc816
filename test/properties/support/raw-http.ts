/**
 * Requests sent as a hostile client would, and the one shape every refusal must have: a 4xx with an
 * RFC 9457 problem+json body, never a 5xx and never a dropped connection.
 */
import { expect } from 'vitest';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** What the request is, for a failure message. */
  description?: string;
}

export interface RawResponse {
  status: number;
  contentType: string;
  /** The parsed body when it is JSON, else undefined. */
  json: Record<string, unknown> | undefined;
  text: string;
}

/**
 * Sends the request as is (no content type unless given).
 * @throws when the connection is dropped or refused: that is a failure of the property, never retried.
 */
export async function send(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers ?? {}, body: request.body ?? null });
  } catch (error) {
    throw new Error(`Expected an HTTP answer to ${describeRequest(request)}, but the connection failed: ${(error as Error).message}`, { cause: error });
  }
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', json, text };
}

export function describeRequest(request: RawRequest): string {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : `<${request.body.length} bytes>`;
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} characters)` : body;
  return `${request.description ? `${request.description}: ` : ''}${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers ?? {}).slice(0, 300)} ${shown}`;
}

export interface ProblemExpectation {
  /** The statuses allowed; any 4xx unless given. */
  statuses?: readonly number[];
  /** Whether a 400 must name the offending field in `errors` (the services do; the engine's REST API names it in `detail`). */
  fieldsNamed?: boolean;
}

/** Asserts the answer is a refusal as problem+json, naming the request when it is not. */
export function expectProblem(response: RawResponse, request: RawRequest, { statuses, fieldsNamed = true }: ProblemExpectation = {}): void {
  const context = `Expected a 4xx problem+json for ${describeRequest(request)}, but got ${response.status} ${response.contentType} ${response.text.slice(0, 500)}`;
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(response.status, context).toBeLessThan(500);
  if (statuses) expect(statuses, context).toContain(response.status);
  expect(response.contentType, context).toMatch(/^application\/problem\+json/);
  const problem = response.json ?? {};
  expect(problem, context).toMatchObject({ type: expect.any(String), title: expect.any(String), status: response.status, detail: expect.any(String) });
  if (response.status === 400 && fieldsNamed) {
    const errors = problem.errors as { field?: unknown }[] | undefined;
    expect(errors?.length, context).toBeGreaterThan(0);
    for (const error of errors ?? []) expect(error.field, context).toEqual(expect.any(String));
  }
}

/** fast-check's settings for these properties: moderate runs, and `FC_SEED` replays a printed seed. */
export function runs(numRuns: number): { numRuns: number; seed?: number } {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  return { numRuns, ...(seed === undefined ? {} : { seed }) };
}
