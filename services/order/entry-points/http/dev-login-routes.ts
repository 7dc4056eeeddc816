import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { signCustomerToken, type CustomerAuthConfig } from '../../../../lib/http/customer-auth.js';
import { sendProblem, validationProblem, violationsOf } from '../../../../lib/http/problem-details.js';

/** A dev session lasts a working day. */
const DEV_TOKEN_TTL_SECONDS = 8 * 60 * 60;

const devLoginSchema = z
  .object({ customerId: z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/, 'Expected printable ASCII without spaces') })
  .strict();

/**
 * `POST /dev/login {customerId}`: a signed customer token for whoever asks, so the checkout page works
 * without an identity provider. Mounted only while the public development secret is in use
 * (order-config.ts decides), where such a token proves nothing anyway.
 */
export function devLoginRoutes(auth: CustomerAuthConfig, logger: Logger): Router {
  if (!auth.usingDevSecret) throw new Error('Expected the development secret for the dev login, but a real ORDERFLOW_JWT_SECRET is configured');
  const router = Router();
  router.post('/dev/login', async (request, response) => {
    const body = devLoginSchema.safeParse(request.body ?? {});
    if (!body.success) return sendProblem(response, validationProblem('Expected a customer id to sign in as', violationsOf(body.error)));
    const token = await signCustomerToken(body.data.customerId, auth, { ttlSeconds: DEV_TOKEN_TTL_SECONDS });
    logger.info({ customerId: body.data.customerId }, 'Dev login token issued');
    response.set('Cache-Control', 'no-store').json({ customerId: body.data.customerId, token, expiresInSeconds: DEV_TOKEN_TTL_SECONDS });
  });
  return router;
}
