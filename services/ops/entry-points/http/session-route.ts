/**
 * `GET /ops/session`: what the caller's token may do, so the page can hide actions it would be
 * refused. Camunda 8.8's API has no "may I write?" question, so the answer comes from the API
 * itself: a search proves the token reads, and a retries update of a job key that cannot exist
 * (partition 0 holds no jobs) tells a refused write (403) from a permitted one (404), changing nothing.
 */
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { sendProblem, problem } from '../../../../lib/http/problem-details.js';
import { ApiUnreachableError, forwardedHeaders, sendUnreachable, type ApiClient } from './api-proxy.js';

/** Zeebe keys carry their partition in the upper bits; key 1 is on partition 0, where no job lives. */
export const WRITE_PROBE_JOB_KEY = '1';

export interface OpsSession {
  /** The API accepted the token for searches. */
  canRead: true;
  /** The API would accept the token for commands (retry, resolve, cancel). */
  canWrite: boolean;
  apiUrl: string;
}

export function sessionRouter(client: ApiClient, logger: Logger): Router {
  const router = Router();
  router.get('/ops/session', async (request, response) => {
    const headers = { ...forwardedHeaders(request), 'content-type': 'application/json', accept: 'application/json' };
    try {
      const read = await client.send({ method: 'POST', path: '/v2/process-definitions/search', headers, body: Buffer.from(JSON.stringify({ page: { limit: 1 } })) });
      if (!read.ok) return relay(response, read);
      const write = await client.send({ method: 'PATCH', path: `/v2/jobs/${WRITE_PROBE_JOB_KEY}`, headers, body: Buffer.from(JSON.stringify({ changeset: { retries: 1 } })) });
      await write.body?.cancel();
      const session: OpsSession = { canRead: true, canWrite: write.status !== 401 && write.status !== 403, apiUrl: client.apiUrl };
      logger.debug({ canWrite: session.canWrite, probeStatus: write.status }, 'Ops session checked');
      response.json(session);
    } catch (error) {
      if (!(error instanceof ApiUnreachableError)) throw error;
      logger.warn({ method: 'GET', path: '/ops/session', apiUrl: client.apiUrl, timedOut: error.timedOut, reason: error.message }, 'API request failed');
      sendUnreachable(response, error);
    }
  });
  return router;
}

/** The API's own refusal (401 with its detail) is the clearest thing to show on the sign-in form. */
async function relay(response: Response, upstream: globalThis.Response): Promise<void> {
  const text = await upstream.text();
  const contentType = upstream.headers.get('content-type') ?? '';
  if (contentType.includes('json')) {
    response.status(upstream.status).type(contentType).send(text);
    return;
  }
  sendProblem(response, problem(upstream.status, 'API refused', `Expected the API to accept the token for searches, but it answered ${upstream.status}`));
}
