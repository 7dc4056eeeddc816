/**
 * Who may call the REST API: every request carries the ops token (read and write) or the read
 * token (searches and GETs only). A token comes as `Authorization: Bearer <token>` or, for clients
 * that can only be configured with Basic credentials (`CAMUNDA_AUTH_STRATEGY=BASIC`), as the
 * password of `Authorization: Basic` with any user name (lib/http/ops-auth.ts judges the token, as for
 * the services' operator endpoints). There is no anonymous access.
 */
import type { Request, RequestHandler } from 'express';
import { OpsAccess, opsAccessOf } from '../../../lib/http/ops-auth.js';
import { sendProblem } from './rest-errors.js';

export interface RestTokens {
  /** Grants every operation. */
  opsToken: string;
  /** Grants searches and reads only; optional. */
  readToken?: string;
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="orderflow-engine"' };

/** Searches are POSTs that change nothing; Camunda's read permission covers them. */
function isRead(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  return req.method === 'POST' && /\/(search|statistics\/element-instances)$/.test(req.path);
}

export function requireToken(tokens: RestTokens): RequestHandler {
  return (req, res, next) => {
    const access = opsAccessOf(req.headers.authorization, tokens);
    if (access === OpsAccess.NONE) {
      const detail = req.headers.authorization
        ? 'Expected a valid token in the Authorization header, but the token given is not valid'
        : 'Expected an Authorization header with a bearer token, but none was given';
      return sendProblem(req, res, { status: 401, title: 'UNAUTHORIZED', detail }, CHALLENGE);
    }
    if (access === OpsAccess.READ && !isRead(req)) {
      return sendProblem(req, res, { status: 403, title: 'FORBIDDEN', detail: `Expected a token that may change the engine for ${req.method} ${req.path}, but the token given may only read` });
    }
    next();
  };
}
