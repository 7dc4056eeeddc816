import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { routeMethodsOf } from './route-methods.js';

/** A field the request got wrong: `items[0].sku`, `Idempotency-Key`, `body`. */
export interface FieldViolation {
  field: string;
  message: string;
}

/** RFC 9457 problem details, with the offending fields named in `errors` (never their values). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldViolation[];
}

export function sendProblem(response: Response, problem: ProblemDetails): void {
  response.status(problem.status).type('application/problem+json').json(problem);
}

export function problem(status: number, title: string, detail: string, errors?: FieldViolation[]): ProblemDetails {
  return { type: `https://orderflow.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`, title, status, detail, ...(errors ? { errors } : {}) };
}

/** Every service answers a malformed request with this one problem type, naming the fields. */
export function validationProblem(detail: string, errors: FieldViolation[]): ProblemDetails {
  return { type: 'https://orderflow.dev/problems/validation', title: 'The request is not valid', status: 400, detail, errors };
}

/** 415: every service takes JSON bodies only, sent as `application/json` in UTF-8. */
export function unsupportedMediaTypeProblem(detail: string): ProblemDetails {
  return problem(415, 'Unsupported media type', detail, [{ field: 'Content-Type', message: 'Expected application/json' }]);
}

/** A 400 naming every field zod rejected, `prefix` first (`quantity`, `sku`). */
export function invalidRequest(error: z.ZodError, prefix: readonly PropertyKey[] = []): ProblemDetails {
  const errors = violationsOf(error, prefix);
  return validationProblem(`Expected a valid request, but ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
}

/** `items[0].sku` for the path `['items', 0, 'sku']`; the body itself is `body`. */
export function fieldName(path: readonly PropertyKey[]): string {
  const name = path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)), '');
  return name || 'body';
}

/** One violation per field zod rejected; unknown keys are named one by one, so `price` is reported as `price`. */
export function violationsOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldViolation[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName([...prefix, ...issue.path, key]), message: 'Expected no such field, but it was sent' }))
      : [{ field: fieldName([...prefix, ...issue.path]), message: issue.message }],
  );
}

/** Thrown by a route for a request it refuses; the error handler answers with its problem as is. */
export class BadRequestError extends Error {
  readonly code = 'BAD_REQUEST';
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
    this.name = 'BadRequestError';
  }
}

/**
 * Mounted after every route: a path some route has, asked with another method, answers 405 with
 * `Allow` listing the methods it takes (RFC 9110 §15.5.6); any other request 404.
 */
export const notFoundRoute: RequestHandler = (request, response) => {
  const allowed = routeMethodsOf(request.app, request.path);
  if (allowed.length === 0) return sendProblem(response, problem(404, 'Not found', `Expected a route for ${request.method} ${request.path}, but none exists`));
  response.set('Allow', allowed.join(', '));
  sendProblem(response, problem(405, 'Method not allowed', `Expected ${allowed.join(', ')} for ${request.path}, but ${request.method} was sent`));
};

export interface ErrorHandlerOptions {
  /** The JSON body limit, named in a 413. */
  bodyLimit: string;
  /** The service's own errors as problems; undefined for an error it does not know. */
  domainProblem?: (error: unknown) => ProblemDetails | undefined;
  /** What a 500 tells the client, e.g. whether a retry is safe. */
  internalErrorDetail?: string;
}

/**
 * The service's errors, then body-parser's, become 4xx problems; anything else is a 500 without
 * internals. A failure is logged by name, message and stack only: a driver error's other fields
 * could echo what the request sent (a card number, say).
 */
export function errorHandler(logger: Logger, options: ErrorHandlerOptions): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    if (error instanceof BadRequestError) return sendProblem(response, error.problem);
    const known = options.domainProblem?.(error);
    if (known) return sendProblem(response, known);
    // Express rejects a path parameter that is not valid percent-encoding with a URIError.
    if (error instanceof URIError) return sendProblem(response, validationProblem('Expected a percent-encoded path, but it does not decode', [{ field: 'path', message: 'Expected valid percent-encoding' }]));
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') return sendProblem(response, problem(413, 'Payload too large', `Expected a body of at most ${options.bodyLimit}`));
    if (type === 'entity.parse.failed') return sendProblem(response, validationProblem('Expected a JSON body, but it does not parse', [{ field: 'body', message: 'Expected valid JSON' }]));
    // body-parser refuses a JSON body in a charset other than UTF-8 this way.
    if (typeof type === 'string' && (error as { status?: number }).status === 415) return sendProblem(response, unsupportedMediaTypeProblem(`Expected a body of type application/json in UTF-8, but it is ${request.get('Content-Type')}`));
    const { name, message, stack } = error instanceof Error ? error : { name: typeof error, message: String(error), stack: undefined };
    logger.error({ err: { name, message, stack }, method: request.method, path: request.route?.path ?? 'unmatched' }, 'Request failed');
    sendProblem(response, problem(500, 'Internal error', options.internalErrorDetail ?? 'The request could not be handled'));
  };
}
