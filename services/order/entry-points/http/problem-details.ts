import type { Response } from 'express';
import type { z } from 'zod';
import type { FieldViolation } from '../../domain/errors.js';

/** RFC 9457 problem details, with the offending fields named in `errors`. */
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

export function validationProblem(detail: string, errors: FieldViolation[]): ProblemDetails {
  return { type: 'https://orderflow.dev/problems/validation', title: 'The request is not valid', status: 400, detail, errors };
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
