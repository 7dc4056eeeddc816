import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { problem, sendProblem } from '../../../../lib/http/problem-details.js';
import type { StuckOrderWatchdog } from '../../domain/stuck-order-watchdog.js';

export interface StuckOrderRoutesDependencies {
  watchdog: StuckOrderWatchdog;
  /** `ORDERFLOW_OPS_TOKEN`; without it the ops endpoints answer 401 to everyone. */
  opsToken: string | undefined;
}

/** `GET /ops/stuck-orders`: the watchdog's list, checked now, for an operator holding the ops token. */
export function stuckOrderRoutes({ watchdog, opsToken }: StuckOrderRoutesDependencies): Router {
  const router = Router();
  router.get('/ops/stuck-orders', requireOpsToken(opsToken), async (_request, response) => {
    const { items, total, checkedAt } = await watchdog.check();
    response.set('Cache-Control', 'no-store').json({
      items: items.map((order) => ({ ...order, since: order.since.toISOString() })),
      total,
      thresholdMs: watchdog.thresholdMs,
      checkedAt: checkedAt.toISOString(),
    });
  });
  return router;
}

function requireOpsToken(opsToken: string | undefined): RequestHandler {
  const expected = opsToken === undefined ? undefined : digest(opsToken);
  return (request, response, next) => {
    const presented = /^Bearer (.+)$/i.exec(request.get('Authorization') ?? '')?.[1];
    // Digests have one length, so the comparison takes the same time whatever was presented.
    if (expected !== undefined && presented !== undefined && timingSafeEqual(digest(presented), expected)) return next();
    const detail = expected === undefined
      ? 'Expected ORDERFLOW_OPS_TOKEN to be configured for the ops endpoints, but it is not'
      : 'Expected an Authorization header with the ops bearer token, but it is missing or wrong';
    response.set('WWW-Authenticate', 'Bearer realm="orderflow-ops"');
    sendProblem(response, problem(401, 'Unauthorized', detail, [{ field: 'Authorization', message: 'Expected Bearer <ORDERFLOW_OPS_TOKEN>' }]));
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
