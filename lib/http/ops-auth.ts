/**
 * Who may call an operator endpoint: the ops token (`ORDERFLOW_OPS_TOKEN`) reads and writes, the read
 * token (`ORDERFLOW_OPS_READ_TOKEN`) only reads. A token comes as `Authorization: Bearer <token>` or, for
 * clients that can only be configured with Basic credentials (`CAMUNDA_AUTH_STRATEGY=BASIC`), as the
 * password of `Authorization: Basic` with any user name. The engine's REST API and the services'
 * operator endpoints judge tokens here; each answers a refusal in its own problem format.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { problem, sendProblem } from './problem-details.js';

export interface OpsTokens {
  /** `ORDERFLOW_OPS_TOKEN`: grants reads and writes. */
  opsToken?: string;
  /** `ORDERFLOW_OPS_READ_TOKEN`: grants reads only. */
  readToken?: string;
}

export const OpsAccess = { NONE: 'NONE', READ: 'READ', WRITE: 'WRITE' } as const;
export type OpsAccess = (typeof OpsAccess)[keyof typeof OpsAccess];

// Empty means unset, as for the engine: a compose file passes an optional variable as ''.
const optionalToken = z.string().optional().transform((token) => token || undefined);
const environmentSchema = z.object({ ORDERFLOW_OPS_TOKEN: optionalToken, ORDERFLOW_OPS_READ_TOKEN: optionalToken });

/** @throws Error naming the malformed variables. */
export function loadOpsTokens(env: NodeJS.ProcessEnv = process.env): OpsTokens {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Expected valid ops token settings, but ${z.prettifyError(parsed.error)}`);
  return { opsToken: parsed.data.ORDERFLOW_OPS_TOKEN, readToken: parsed.data.ORDERFLOW_OPS_READ_TOKEN };
}

/** What the `Authorization` header's token may do; `NONE` without a header or with a token that is neither. */
export function opsAccessOf(authorization: string | undefined, tokens: OpsTokens): OpsAccess {
  const token = presentedToken(authorization);
  if (token === undefined) return OpsAccess.NONE;
  // Both comparisons always run, so timing does not tell which token was close.
  const write = tokens.opsToken !== undefined && sameToken(token, tokens.opsToken);
  const read = tokens.readToken !== undefined && sameToken(token, tokens.readToken);
  return write ? OpsAccess.WRITE : read ? OpsAccess.READ : OpsAccess.NONE;
}

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

const CHALLENGE = 'Bearer realm="orderflow-ops"';

/**
 * Lets a request through when its token grants `needed` (`READ` for what only looks, `WRITE` for what
 * changes something); otherwise answers problem+json naming `Authorization`: 401 with a challenge
 * without a valid token, or when the variable that would grant access is not configured, 403 for the
 * read token on a write.
 */
export function requireOpsAccess(tokens: OpsTokens, needed: typeof OpsAccess.READ | typeof OpsAccess.WRITE): RequestHandler {
  const accepted = needed === OpsAccess.WRITE ? 'Bearer <ORDERFLOW_OPS_TOKEN>' : 'Bearer <ORDERFLOW_OPS_TOKEN> or Bearer <ORDERFLOW_OPS_READ_TOKEN>';
  const configured = needed === OpsAccess.WRITE ? tokens.opsToken !== undefined : tokens.opsToken !== undefined || tokens.readToken !== undefined;
  const errors = [{ field: 'Authorization', message: `Expected ${accepted}` }];
  return (request, response, next) => {
    const access = opsAccessOf(request.get('Authorization'), tokens);
    if (access === OpsAccess.WRITE || (access === OpsAccess.READ && needed === OpsAccess.READ)) return next();
    if (access === OpsAccess.READ) {
      const detail = `Expected the ops token (ORDERFLOW_OPS_TOKEN) for ${request.method} ${request.path}, but the token given may only read`;
      return sendProblem(response, problem(403, 'Forbidden', detail, errors));
    }
    const detail = !configured
      ? `Expected ${needed === OpsAccess.WRITE ? 'ORDERFLOW_OPS_TOKEN' : 'ORDERFLOW_OPS_TOKEN or ORDERFLOW_OPS_READ_TOKEN'} to be configured for the operator endpoints, but it is not`
      : request.get('Authorization')
        ? 'Expected an ops token in the Authorization header, but the one given is not valid'
        : 'Expected an Authorization header with an ops bearer token, but none was sent';
    response.set('WWW-Authenticate', CHALLENGE);
    sendProblem(response, problem(401, 'Unauthorized', detail, errors));
  };
}
