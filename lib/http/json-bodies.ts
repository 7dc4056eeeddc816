import express, { type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { invalidRequest, sendProblem, unsupportedMediaTypeProblem } from './problem-details.js';

/**
 * The body parser every service mounts before its routes: a body sent as anything but
 * `application/json` answers 415 naming `Content-Type` (RFC 9110 §15.5.16) instead of reaching the
 * route as no body at all; a JSON body is parsed up to `limit` (past it, the error handler answers 413).
 * A request without a body (a cancel, a GET) passes whatever its Content-Type says.
 */
export function jsonBodies(limit: string): RequestHandler[] {
  const refuseOtherMediaTypes: RequestHandler = (request, response, next) => {
    if (!hasBody(request) || request.is('application/json')) return next();
    sendProblem(response, unsupportedMediaTypeProblem(`Expected a body of type application/json, but it is ${request.get('Content-Type') ?? 'not declared'}`));
  };
  return [refuseOtherMediaTypes, express.json({ limit })];
}

/** Unlike `request.is`, an empty body (`Content-Length: 0`, as fetch sends a POST without one) is none. */
function hasBody(request: Request): boolean {
  return request.get('Transfer-Encoding') !== undefined || Number(request.get('Content-Length') ?? 0) > 0;
}

const noFields = z.strictObject({});

/**
 * For a route that takes no body (a cancel request): a body with fields is refused 400 naming each,
 * as every API refuses a field it does not know, instead of being ignored as if it had been read. No
 * body, or `{}`, passes.
 */
export const noBody: RequestHandler = (request, response, next) => {
  const parsed = noFields.safeParse(request.body ?? {});
  if (parsed.success) return next();
  sendProblem(response, invalidRequest(parsed.error));
};
