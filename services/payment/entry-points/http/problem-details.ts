import type { Response } from 'express';
import type { z } from 'zod';
import type { FieldViolation } from '../../domain/errors.js';

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

export function validationProblem(detail: string, errors: FieldViolation[]): ProblemDetails {
  return { type: 'https://orderflow.dev/problems/validation', title: 'The request is not valid', status: 400, detail, errors };
}

/** One violation per field zod rejected; unknown keys are named one by one. */
export function violationsOf(error: z.ZodError): FieldViolation[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: key, message: 'Expected no such field, but it was sent' }))
      : [{ field: issue.path.map(String).join('.') || 'body', message: issue.message }],
  );
}

/** Thrown by a route for a malformed request; the error handler answers with its problem as is. */
export class BadRequestError extends Error {
  readonly code = 'BAD_REQUEST';
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
    this.name = 'BadRequestError';
  }
}
