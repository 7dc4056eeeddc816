import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { verifiedCustomerOf } from '../../../../lib/http/customer-auth.js';
import { problem, sendProblem } from '../../../../lib/http/problem-details.js';

export interface PlaceOrderRateLimit {
  /** Requests allowed per key and window. */
  limit: number;
  windowMs: number;
}

/**
 * Limits `POST /orders` per verified customer, or per client IP when the request has no valid token
 * (it is refused next, but still counts). Runs after `identifyCustomer`, so a forged token cannot
 * spend another customer's allowance. Counts are kept in this process: each instance limits alone.
 */
export function placeOrderRateLimit({ limit, windowMs }: PlaceOrderRateLimit): RequestHandler {
  return rateLimit({
    limit,
    windowMs,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (request, response) => {
      const customerId = verifiedCustomerOf(response);
      return customerId === undefined ? `ip:${ipKeyGenerator(request.ip ?? 'unknown')}` : `customer:${customerId}`;
    },
    // express-rate-limit has set Retry-After (seconds until the window resets) before this runs.
    handler: (_request, response) =>
      sendProblem(response, problem(429, 'Too many requests', `Expected at most ${limit} orders per ${Math.round(windowMs / 1000)} s, but more were sent; retry after ${response.get('Retry-After')} s`)),
  });
}
