/**
 * The body parser every service mounts first and the routes it mounts last (unknown route, error
 * handler), on a bare express app: what each kind of failure answers, and what of it reaches the log.
 */
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonBodies } from '../../lib/http/json-bodies.js';
import { BadRequestError, errorHandler, invalidRequest, notFoundRoute, problem } from '../../lib/http/problem-details.js';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';

class ThingNotFoundError extends Error {}

const logged: Record<string, any>[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const app = express();
  app.use(jsonBodies('1kb'));
  app.post('/things', (request) => {
    const body = z.strictObject({ items: z.array(z.object({ sku: z.string() })) }).safeParse(request.body);
    if (!body.success) throw new BadRequestError(invalidRequest(body.error));
  });
  app.get('/things/:id', (request) => {
    throw new ThingNotFoundError(`Expected a thing ${request.params.id}, but there is none`);
  });
  app.put('/things/:id', (_request, response) => {
    response.status(204).end();
  });
  const nested = express.Router();
  nested.delete('/parts/:id', (_request, response) => {
    response.status(204).end();
  });
  app.use('/things/:id', nested);
  app.get('/broken', () => {
    throw Object.assign(new Error('connection reset'), { detail: 'card 4242424242424242' });
  });
  app.use(notFoundRoute);
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  app.use(errorHandler(logger, {
    bodyLimit: '1kb',
    domainProblem: (error) => (error instanceof ThingNotFoundError ? problem(404, 'Thing not found', error.message) : undefined),
  }));
  server = await listen(app, 0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${boundPort(server)}`;
});

afterAll(async () => {
  await closeServer(server);
});

async function call(method: string, path: string, body?: string, contentType = 'application/json') {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: body === undefined ? {} : { 'content-type': contentType }, body });
  return { status: response.status, contentType: response.headers.get('content-type'), allow: response.headers.get('allow'), body: (await response.json()) as Record<string, any> };
}

const validation = { type: 'https://orderflow.dev/problems/validation', title: 'The request is not valid', status: 400 };

describe('the services’ error handler', () => {
  it('When fields are wrong, then it answers the validation problem naming each, indices in brackets and unknown keys one by one', async () => {
    const answer = await call('POST', '/things', JSON.stringify({ items: [{ sku: 7 }], price: 1 }));

    expect(answer.status).toBe(400);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject(validation);
    expect(answer.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['items[0].sku', 'price']);
  });

  it('When the body is not JSON, then it answers the same validation problem naming the body', async () => {
    const answer = await call('POST', '/things', '{"items": ');

    expect(answer.body).toMatchObject({ ...validation, errors: [{ field: 'body', message: 'Expected valid JSON' }] });
  });

  it('When a path does not decode, then it answers the same validation problem naming the path', async () => {
    const answer = await call('GET', '/things/%E0%A4%A');

    expect(answer.body).toMatchObject({ ...validation, errors: [{ field: 'path', message: 'Expected valid percent-encoding' }] });
  });

  it('When the body is over the limit, then it answers 413 naming the limit', async () => {
    const answer = await call('POST', '/things', JSON.stringify({ items: [{ sku: 'x'.repeat(2_000) }] }));

    expect(answer.status).toBe(413);
    expect(answer.body.detail).toContain('1kb');
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['XML', 'application/xml'],
  ])('When a JSON body is sent as %s, then it answers 415 naming Content-Type', async (_case, contentType) => {
    const answer = await call('POST', '/things', JSON.stringify({ items: [] }), contentType);

    expect(answer.status).toBe(415);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ type: 'https://orderflow.dev/problems/unsupported-media-type', title: 'Unsupported media type', status: 415, errors: [{ field: 'Content-Type', message: 'Expected application/json' }] });
    expect(answer.body.detail).toContain(contentType);
  });

  it('When a JSON body is sent in a charset other than UTF-8, then it answers the same 415 naming Content-Type', async () => {
    const answer = await call('POST', '/things', JSON.stringify({ items: [] }), 'application/json; charset=iso-8859-1');

    expect(answer.status).toBe(415);
    expect(answer.body.errors).toEqual([{ field: 'Content-Type', message: 'Expected application/json' }]);
  });

  it('When a POST carries no body and no Content-Type, then it reaches the route', async () => {
    const answer = await call('POST', '/things');

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
  });

  it.each([
    ['DELETE', '/things/42', 'GET, HEAD, PUT'],
    ['POST', '/things/42', 'GET, HEAD, PUT'],
    ['GET', '/things', 'POST'],
    ['GET', '/things/42/parts/7', 'DELETE'],
  ])('When %s %s has no route but the path has, then it answers 405 with Allow: %s', async (method, path, allow) => {
    const answer = await call(method, path);

    expect(answer.status).toBe(405);
    expect(answer.allow).toBe(allow);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ type: 'https://orderflow.dev/problems/method-not-allowed', title: 'Method not allowed', status: 405 });
    expect(answer.body.detail).toContain(method);
  });

  it('When no route has the path, then it answers 404 without Allow', async () => {
    const answer = await call('DELETE', '/nothing/here');

    expect(answer.status).toBe(404);
    expect(answer.allow).toBeNull();
    expect(answer.body).toMatchObject({ title: 'Not found', status: 404 });
  });

  it('When the service knows the error, then its own problem is answered', async () => {
    const answer = await call('GET', '/things/42');

    expect(answer.body).toMatchObject({ status: 404, title: 'Thing not found', detail: 'Expected a thing 42, but there is none' });
  });

  it('When the failure is unexpected, then it answers 500 without internals and logs only the error’s name, message and stack', async () => {
    logged.length = 0;

    const answer = await call('GET', '/broken');

    expect(answer.body).toEqual({ type: 'https://orderflow.dev/problems/internal-error', title: 'Internal error', status: 500, detail: 'The request could not be handled' });
    expect(logged).toHaveLength(1);
    expect(logged[0]!.err).toMatchObject({ name: 'Error', message: 'connection reset' });
    expect(JSON.stringify(logged)).not.toContain('4242424242424242');
  });
});
