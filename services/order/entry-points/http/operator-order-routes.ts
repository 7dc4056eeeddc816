import { Router } from 'express';
import { OpsAccess, requireOpsAccess, type OpsTokens } from '../../../../lib/http/ops-auth.js';
import type { StuckOrderWatchdog } from '../../domain/stuck-order-watchdog.js';

export interface StuckOrderRoutesDependencies {
  watchdog: StuckOrderWatchdog;
  /** `ORDERFLOW_OPS_TOKEN` and `ORDERFLOW_OPS_READ_TOKEN`; without either the ops endpoints answer 401 to everyone. */
  opsTokens: OpsTokens;
}

/** `GET /ops/stuck-orders`: the watchdog's list, checked now, for an operator holding the ops or the read token. */
export function stuckOrderRoutes({ watchdog, opsTokens }: StuckOrderRoutesDependencies): Router {
  const router = Router();
  router.get('/ops/stuck-orders', requireOpsAccess(opsTokens, OpsAccess.READ), async (_request, response) => {
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
