import { Router } from 'express';
import { z } from 'zod';
import type { StockRepository } from '../../data-access/stock-repository.js';
import { OpsAccess, requireOpsAccess, type OpsTokens } from '../../../../lib/http/ops-auth.js';
import { problem, sendProblem, invalidRequest } from '../../../../lib/http/problem-details.js';

const skuSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'Expected 1 to 64 letters, digits, dots, dashes or underscores');
const setStockSchema = z.object({ quantity: z.number().int('Expected an integer').nonnegative('Expected zero or more').max(1_000_000_000) }).strict();

/**
 * `GET /stock/:sku` → `{sku, available}` (the ops or the read token); `PUT /stock/:sku` `{quantity}` sets
 * the units available, a restock by ops (the ops token).
 */
export function stockRoutes(stock: StockRepository, opsTokens: OpsTokens): Router {
  const router = Router();
  router.get('/stock/:sku', requireOpsAccess(opsTokens, OpsAccess.READ), async (request, response) => {
    const sku = skuSchema.safeParse(request.params.sku);
    if (!sku.success) return sendProblem(response, invalidRequest(sku.error, ['sku']));
    const available = await stock.available(sku.data);
    if (available === undefined) return sendProblem(response, problem(404, 'SKU not found', `Expected stock for SKU ${sku.data}, but Inventory does not stock it`));
    response.json({ sku: sku.data, available });
  });
  router.put('/stock/:sku', requireOpsAccess(opsTokens, OpsAccess.WRITE), async (request, response) => {
    const sku = skuSchema.safeParse(request.params.sku);
    if (!sku.success) return sendProblem(response, invalidRequest(sku.error, ['sku']));
    const body = setStockSchema.safeParse(request.body ?? {});
    if (!body.success) return sendProblem(response, invalidRequest(body.error));
    await stock.setAvailable(sku.data, body.data.quantity);
    response.json({ sku: sku.data, available: body.data.quantity });
  });
  return router;
}
