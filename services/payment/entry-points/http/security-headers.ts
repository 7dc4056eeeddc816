import type { RequestHandler } from 'express';
import { securityHeaders as apiSecurityHeaders } from '../../../../lib/http/security-headers.js';

/** The API's security headers, plus `no-store`: card responses must never be cached. */
export const securityHeaders: RequestHandler = (request, response, next) => {
  response.set('Cache-Control', 'no-store');
  apiSecurityHeaders(request, response, next);
};
