import type { RequestHandler } from 'express';
import helmet from 'helmet';

export type ContentSecurityPolicy = Record<string, readonly string[]>;

/** A JSON API serves no documents: nothing may load from its responses, and nothing may frame them. */
export const apiContentSecurityPolicy: ContentSecurityPolicy = { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] };

export interface SecurityHeadersOptions {
  /** Replaces the API policy, for a service that also serves pages. */
  contentSecurityPolicy?: ContentSecurityPolicy;
  /** Adds `Cache-Control: no-store`, for responses no cache may keep (card data). */
  noStore?: boolean;
}

/**
 * Helmet's headers, every service the same: HSTS, `nosniff`, `no-referrer` (so a query string never
 * leaks to another site), same-origin resource and opener policies, no framing. Cross-origin callers
 * are governed by CORS, which same-origin CORP does not affect.
 */
export function securityHeadersFor({ contentSecurityPolicy = apiContentSecurityPolicy, noStore = false }: SecurityHeadersOptions = {}): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy as Record<string, string[]> },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  if (!noStore) return headers;
  return (request, response, next) => {
    response.set('Cache-Control', 'no-store');
    headers(request, response, next);
  };
}

/** The JSON APIs' headers. */
export const securityHeaders: RequestHandler = securityHeadersFor();
