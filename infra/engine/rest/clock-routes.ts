/**
 * Camunda 8.8's clock endpoints: `PUT /v2/clock` pins the engine's clock at `timestamp` (epoch
 * millis), `POST /v2/clock/reset` returns it to system time. As in Zeebe, only when the clock is
 * controllable (`ZEEBE_CLOCK_CONTROLLED=true`).
 */
import express from 'express';
import { z } from 'zod';
import { int64Schema, parseBody, type RestContext } from './rest-context.js';
import { RestProblemError } from './rest-errors.js';

const pinBody = z.strictObject({ timestamp: int64Schema });

export function clockRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  const requireControlled = () => {
    if (!ctx.clockControlled) {
      throw new RestProblemError({ status: 409, title: 'INVALID_STATE', detail: 'Expected the engine clock to be controllable (ZEEBE_CLOCK_CONTROLLED=true), but it is not' });
    }
  };
  router.put('/clock', (req, res) => {
    requireControlled();
    ctx.engine.clock.pin(parseBody(pinBody, req.body).timestamp);
    res.status(204).end();
  });
  router.post('/clock/reset', (_req, res) => {
    requireControlled();
    ctx.engine.clock.reset();
    res.status(204).end();
  });
  return router;
}
