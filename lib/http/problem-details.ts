import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** RFC 9457 problem details, with the offending fields named in `errors`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

export function sendProblem(response: Response, problem: ProblemDetails): void {
  response.status(problem.status).type('application/problem+json').json(problem);
}

export function problem(status: number, title: string, detail: string, errors?: ProblemDetails['errors']): ProblemDetails {
  return { type: `https://orderflow.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`, title, status, detail, ...(errors ? { errors } : {}) };
}

/** A 400 naming every field zod rejected, `prefix` first (`quantity`, `params.sku`). */
export function validationProblem(error: z.ZodError, prefix: readonly PropertyKey[] = []): ProblemDetails {
  const errors = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: [...prefix, ...issue.path, key].join('.'), message: 'Expected no such field, but it was sent' }))
      : [{ field: [...prefix, ...issue.path].join('.') || 'body', message: issue.message }],
  );
  return problem(400, 'Invalid request', `Expected a valid request, but ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
}

export const notFoundRoute: RequestHandler = (request, response) =>
  sendProblem(response, problem(404, 'Not found', `Expected a route for ${request.method} ${request.path}, but none exists`));

/** Body-parser's errors become 4xx problems; anything else is a 500 without internals. */
export function errorHandler(logger: Logger, bodyLimit: string): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') return sendProblem(response, problem(413, 'Payload too large', `Expected a body of at most ${bodyLimit}`));
    if (type === 'entity.parse.failed') {
      return sendProblem(response, problem(400, 'Invalid request', 'Expected a JSON body, but it does not parse', [{ field: 'body', message: 'Expected valid JSON' }]));
    }
    if (typeof type === 'string' && (error as { status?: number }).status === 415) return sendProblem(response, problem(415, 'Unsupported media type', 'Expected application/json'));
    // Express rejects a path parameter that is not valid percent-encoding with a URIError.
    if (error instanceof URIError) {
      return sendProblem(response, problem(400, 'Invalid request', 'Expected a percent-encoded path, but it does not decode', [{ field: 'path', message: 'Expected valid percent-encoding' }]));
    }
    logger.error({ err: error, method: request.method, path: request.path }, 'Request failed');
    sendProblem(response, problem(500, 'Internal error', 'The request could not be handled'));
  };
}
