import type { RequestHandler } from 'express';

/** A preflight answer may be cached this long (seconds). */
const PREFLIGHT_MAX_AGE = 600;

/**
 * The response headers the API gives meaning to beyond the CORS-safelisted ones, which a page can
 * read only when they are exposed: a new card's `Location`, and why a token was refused.
 */
const EXPOSED_HEADERS = 'Location, WWW-Authenticate';

/**
 * CORS for the card endpoints: the checkout page, served by the Order service from another origin,
 * sends the card number straight here, so the Order service never sees it. Only the listed origins
 * may read responses; the bearer token travels in a header, so no cookies are involved (no credentials).
 */
export function corsFor(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (request, response, next) => {
    response.vary('Origin');
    const origin = request.get('Origin');
    if (!origin || !allowed.has(origin)) return next();
    response.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS });
    if (request.method !== 'OPTIONS' || !request.get('Access-Control-Request-Method')) return next();
    response.set({
      'Access-Control-Allow-Methods': 'GET, POST, PUT',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE),
    });
    response.status(204).end();
  };
}
