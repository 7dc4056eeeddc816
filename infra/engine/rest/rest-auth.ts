/**
 * Who may call the REST API: every request carries the ops token (read and write) or the read
 * token (searches and GETs only). A token comes as `Authorization: Bearer <token>` or, for clients
 * that can only be configured with Basic credentials (`CAMUNDA_AUTH_STRATEGY=BASIC`), as the
 * password of `Authorization: Basic` with any user name. There is no anonymous access.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { sendProblem } from './rest-errors.js';

export interface RestTokens {
  /** Grants every operation. */
  opsToken: string;
  /** Grants searches and reads only; optional. */
  readToken?: string;
}

const Access = { NONE: 'NONE', READ: 'READ', WRITE: 'WRITE' } as const;
type Access = (typeof Access)[keyof typeof Access];

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="orderflow-engine"' };

/** Hashing first makes both sides the same length, so the comparison takes the same time for any guess. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function presentedToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, credentials] = header.split(' ', 2);
  if (!credentials) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return credentials.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials.trim(), 'base64').toString();
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

function accessOf(token: string | undefined, tokens: RestTokens): Access {
  if (token === undefined) return Access.NONE;
  // Both comparisons always run, so timing does not tell which token was close.
  const write = sameToken(token, tokens.opsToken);
  const read = tokens.readToken !== undefined && sameToken(token, tokens.readToken);
  return write ? Access.WRITE : read ? Access.READ : Access.NONE;
}

/** Searches are POSTs that change nothing; Camunda's read permission covers them. */
function isRead(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  return req.method === 'POST' && /\/(search|statistics\/element-instances)$/.test(req.path);
}

export function requireToken(tokens: RestTokens): RequestHandler {
  return (req, res, next) => {
    const access = accessOf(presentedToken(req.headers.authorization), tokens);
    if (access === Access.NONE) {
      const detail = req.headers.authorization
        ? 'Expected a valid token in the Authorization header, but the token given is not valid'
        : 'Expected an Authorization header with a bearer token, but none was given';
      return sendProblem(req, res, { status: 401, title: 'UNAUTHORIZED', detail }, CHALLENGE);
    }
    if (access === Access.READ && !isRead(req)) {
      return sendProblem(req, res, { status: 403, title: 'FORBIDDEN', detail: `Expected a token that may change the engine for ${req.method} ${req.path}, but the token given may only read` });
    }
    next();
  };
}
