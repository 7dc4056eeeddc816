/**
 * Failures as Camunda 8.8's REST API answers them: RFC 9457 problem details with `type`, `title`
 * (the rejection type, e.g. `NOT_FOUND`), `status`, `detail` and `instance` (the request path).
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { invalidRequest } from '../../../lib/http/problem-details.js';
import { CommandRejectedError, type RejectionType } from '../engine-api.js';
import { InvalidRequestError } from '../gateway/grpc-errors.js';

export interface Problem {
  status: number;
  title: string;
  detail: string;
}

/** Thrown by route handlers for an answer other than success; carries the problem to send. */
export class RestProblemError extends Error {
  override readonly name = 'RestProblemError';
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** Camunda's gateway maps broker rejections to these statuses (its `RestErrorMapper`). */
const statusByRejection: Record<RejectionType, number> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INVALID_STATE: 409,
  DEADLINE_EXCEEDED: 504,
  PROCESSING_ERROR: 500,
};

export function invalidArgument(detail: string): RestProblemError {
  return new RestProblemError({ status: 400, title: 'INVALID_ARGUMENT', detail });
}

export function notFound(noun: string, key: string): RestProblemError {
  return new RestProblemError({ status: 404, title: 'NOT_FOUND', detail: `Expected to find ${noun} with key '${key}', but none was found` });
}

/** A 400 naming each field zod rejected, with its path in the request (`filter.state`). */
export function validationProblem(error: z.ZodError, prefix: readonly PropertyKey[] = []): RestProblemError {
  return invalidArgument(invalidRequest(error, prefix).detail);
}

/** The problem for any error a handler throws; `undefined` for one we did not expect. */
export function problemOf(error: unknown): Problem | undefined {
  if (error instanceof RestProblemError) return error.problem;
  if (error instanceof CommandRejectedError) {
    return {
      status: statusByRejection[error.rejectionType] ?? 500,
      title: error.rejectionType,
      detail: error.command
        ? `Command '${error.command.intent}' rejected with code '${error.rejectionType}': ${error.reason}`
        : error.reason,
    };
  }
  if (error instanceof InvalidRequestError) return { status: 400, title: 'INVALID_ARGUMENT', detail: error.message };
  // Express rejects a path parameter that is not valid percent-encoding with a URIError.
  if (error instanceof URIError) return { status: 400, title: 'INVALID_ARGUMENT', detail: 'Expected a percent-encoded path, but it does not decode' };
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') {
    return { status: 400, title: 'INVALID_ARGUMENT', detail: `Expected the request body to be a JSON document, but it is not: ${(error as Error).message}` };
  }
  if (type === 'entity.too.large') return { status: 413, title: 'PAYLOAD_TOO_LARGE', detail: 'Expected a smaller request body' };
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return { status: 415, title: 'UNSUPPORTED_MEDIA_TYPE', detail: `Expected a JSON body in UTF-8, but ${(error as Error).message}` };
  }
  if ((error as { name?: unknown } | null)?.name === 'MulterError') {
    return { status: 400, title: 'INVALID_ARGUMENT', detail: `Expected a multipart body with files in 'resources', but ${(error as Error).message}` };
  }
  return undefined;
}

export function sendProblem(req: Request, res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  res
    .status(problem.status)
    .set(headers)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: problem.title, status: problem.status, detail: problem.detail, instance: req.originalUrl.split('?')[0] });
}

/** Last middleware: every failure becomes problem+json; an unexpected one is logged and answered 500. */
export function restErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem = problemOf(error);
    if (problem) return sendProblem(req, res, problem);
    logger.error({ err: error, method: req.method, path: req.path }, 'REST request failed');
    sendProblem(req, res, { status: 500, title: 'INTERNAL_SERVER_ERROR', detail: `Unexpected error while handling ${req.method} ${req.path}` });
  };
}
