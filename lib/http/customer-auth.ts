import type { RequestHandler, Response } from 'express';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { problem, sendProblem } from './problem-details.js';

/**
 * The secret every local run shares when `ORDERFLOW_JWT_SECRET` is not set. It is public (it is in
 * this file), so a token signed with it proves nothing: services log a warning while it is in use.
 */
export const DEV_JWT_SECRET = 'orderflow-dev-jwt-secret-not-for-production-use';

const ALGORITHM = 'HS256';
/** Clocks of the signer and the verifier may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 5;

const environmentSchema = z.object({
  // RFC 7518 §3.2: an HS256 key must be at least 256 bits.
  ORDERFLOW_JWT_SECRET: z.string().min(32, 'Expected at least 32 characters (256 bits)').optional(),
  ORDERFLOW_JWT_ISSUER: z.string().min(1).optional(),
  ORDERFLOW_JWT_AUDIENCE: z.string().min(1).optional(),
});

/** How customer tokens are verified (and, for the dev login and tests, signed). */
export interface CustomerAuthConfig {
  secret: string;
  /** When set, a token must carry this `iss`. */
  issuer?: string;
  /** When set, a token must carry this `aud`. */
  audience?: string;
  /** True when no secret was configured and the public development secret is used. */
  usingDevSecret: boolean;
}

/** @throws Error naming the malformed variables. */
export function loadCustomerAuthConfig(env: NodeJS.ProcessEnv = process.env): CustomerAuthConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Expected valid customer token settings, but ${z.prettifyError(parsed.error)}`);
  const secret = parsed.data.ORDERFLOW_JWT_SECRET ?? DEV_JWT_SECRET;
  return {
    secret,
    ...(parsed.data.ORDERFLOW_JWT_ISSUER ? { issuer: parsed.data.ORDERFLOW_JWT_ISSUER } : {}),
    ...(parsed.data.ORDERFLOW_JWT_AUDIENCE ? { audience: parsed.data.ORDERFLOW_JWT_AUDIENCE } : {}),
    usingDevSecret: secret === DEV_JWT_SECRET,
  };
}

/** Log metadata for the warning a service writes at start while the development secret is in use. */
export const devSecretWarning = {
  risk: 'anyone can sign a token for any customer',
  fix: 'set ORDERFLOW_JWT_SECRET to at least 32 random characters, the same for the Order and Payment services',
} as const;

/** The configuration tests and local runs use: the development secret, no issuer or audience. */
export const devCustomerAuthConfig: CustomerAuthConfig = { secret: DEV_JWT_SECRET, usingDevSecret: true };

/** Thrown when a token is missing, malformed, badly signed, expired, or not meant for this use. */
export class CustomerTokenError extends Error {
  readonly code = 'INVALID_CUSTOMER_TOKEN';
  constructor(
    message: string,
    readonly missing: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CustomerTokenError';
  }
}

export interface SignTokenOptions {
  /** Lifetime in seconds. */
  ttlSeconds: number;
  /** A narrower use than "act as the customer"; a scoped token is refused where a customer token is expected. */
  scope?: string;
  /** Further claims, e.g. the one order a scoped token is for. */
  claims?: Record<string, string>;
}

/** A signed token whose `sub` is the customer id. */
export function signCustomerToken(customerId: string, config: CustomerAuthConfig, { ttlSeconds, scope, claims = {} }: SignTokenOptions): Promise<string> {
  let jwt = new SignJWT({ ...claims, ...(scope ? { scope } : {}) })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(customerId)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  if (config.issuer) jwt = jwt.setIssuer(config.issuer);
  if (config.audience) jwt = jwt.setAudience(config.audience);
  return jwt.sign(secretKey(config));
}

export interface VerifiedToken {
  customerId: string;
  claims: JWTPayload;
}

/**
 * Verifies signature (HS256 only: `none` and every other algorithm are refused), expiry, issuer and
 * audience when configured, and that the token's scope is exactly `scope` (none for a customer token).
 * A client sends its token with every request, so a token that verified is remembered (by its exact
 * text, per configuration and scope) until it expires: checking its HMAC again through WebCrypto
 * costs more CPU than the rest of placing an order's request.
 * @throws CustomerTokenError saying what is wrong, without echoing the token.
 */
export async function verifyCustomerToken(token: string, config: CustomerAuthConfig, scope?: string): Promise<VerifiedToken> {
  let remembered = verifiedTokens.get(config);
  if (!remembered) verifiedTokens.set(config, (remembered = new Map()));
  const key = `${scope ?? ''} ${token}`;
  const known = remembered.get(key);
  if (known && unexpired(known.claims)) return known;
  remembered.delete(key);
  const verified = await verifyUnremembered(token, config, scope);
  // Oldest first out: a Map iterates in insertion order.
  if (remembered.size >= VERIFIED_TOKENS_KEPT) remembered.delete(remembered.keys().next().value!);
  remembered.set(key, verified);
  return verified;
}

/** Verified tokens remembered per configuration, at most this many each. */
const VERIFIED_TOKENS_KEPT = 10_000;
const verifiedTokens = new WeakMap<CustomerAuthConfig, Map<string, VerifiedToken>>();

/** As `jwtVerify` judges expiry: `exp` is required, so every remembered token has one. */
function unexpired(claims: JWTPayload): boolean {
  return typeof claims.exp === 'number' && Date.now() / 1000 - CLOCK_TOLERANCE_SECONDS < claims.exp;
}

async function verifyUnremembered(token: string, config: CustomerAuthConfig, scope: string | undefined): Promise<VerifiedToken> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, secretKey(config), {
      algorithms: [ALGORITHM],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp'],
      ...(config.issuer ? { issuer: config.issuer } : {}),
      ...(config.audience ? { audience: config.audience } : {}),
    }));
  } catch (error) {
    throw new CustomerTokenError(`Expected a valid bearer token, but ${reasonOf(error)}`, false, { cause: error });
  }
  if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > 64) {
    throw new CustomerTokenError('Expected the token subject to be a customer id of 1 to 64 characters, but it is not', false);
  }
  if (claims.scope !== scope) throw new CustomerTokenError(`Expected a token ${scope ? `with scope ${scope}` : 'without a scope'}, but it has ${claims.scope ? `scope ${String(claims.scope)}` : 'none'}`, false);
  return { customerId: claims.sub, claims };
}

function secretKey(config: CustomerAuthConfig): Uint8Array {
  return new TextEncoder().encode(config.secret);
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'its algorithm is not HS256';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return error.reason === 'missing' ? `it has no ${error.claim} claim` : `its ${error.claim} claim is not acceptable`;
  return 'it is malformed';
}

/** The bearer token of an `Authorization` header, or undefined when there is none. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * 401 with the RFC 6750 challenge: plain `Bearer` when no token came, `error="invalid_token"` when one
 * was refused. `field` names where the refused token came from (a stream token comes as `access_token`).
 */
export function sendUnauthorized(response: Response, error: CustomerTokenError, field = 'Authorization'): void {
  response.set('WWW-Authenticate', error.missing ? 'Bearer' : 'Bearer error="invalid_token"');
  sendProblem(response, problem(401, 'Unauthorized', error.message, [{ field, message: error.message }]));
}

/**
 * Verifies the bearer token when there is one and notes the outcome for `rejectAnonymous`, without
 * answering: what runs in between (a rate limiter) can then key on the verified customer.
 */
export function identifyCustomer(config: CustomerAuthConfig): RequestHandler {
  return async (request, response, next) => {
    const token = bearerTokenOf(request.get('Authorization'));
    if (!token) {
      response.locals.customerTokenError = new CustomerTokenError('Expected an Authorization header with a bearer token, but none was sent', true);
      return next();
    }
    try {
      response.locals.customerId = (await verifyCustomerToken(token, config)).customerId;
    } catch (error) {
      if (!(error instanceof CustomerTokenError)) throw error;
      response.locals.customerTokenError = error;
    }
    next();
  };
}

/** Answers 401 unless `identifyCustomer` found a valid customer token. */
export const rejectAnonymous: RequestHandler = (_request, response, next) => {
  if (typeof response.locals.customerId === 'string') return next();
  const error: unknown = response.locals.customerTokenError;
  sendUnauthorized(response, error instanceof CustomerTokenError ? error : new CustomerTokenError('Expected a bearer token, but none was verified', true));
};

/** Answers 401 unless the request carries a valid customer token; the customer id is then in `response.locals.customerId`. */
export function requireCustomer(config: CustomerAuthConfig): RequestHandler[] {
  return [identifyCustomer(config), rejectAnonymous];
}

/** The verified customer, or undefined when the request has none (yet). */
export function verifiedCustomerOf(response: Response): string | undefined {
  const customerId: unknown = response.locals.customerId;
  return typeof customerId === 'string' ? customerId : undefined;
}

/** The customer `requireCustomer` let through. */
export function customerIdOf(response: Response): string {
  const customerId = verifiedCustomerOf(response);
  if (customerId === undefined) throw new Error('Expected requireCustomer to run before this route, but no customer is set');
  return customerId;
}
