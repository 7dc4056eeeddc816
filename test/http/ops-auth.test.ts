/**
 * The operator endpoints' middleware on a bare express app: a read route and a write route behind it,
 * asked with every kind of credential. The services' own tests check that each route is behind it.
 */
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpsTokens, OpsAccess, opsAccessOf, requireOpsAccess, type OpsTokens } from '../../lib/http/ops-auth.js';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';
import { authorizationFor } from '../support/customer-token.js';

const tokens = { opsToken: 'ops-token-of-the-middleware-test', readToken: 'read-token-of-the-middleware-test' } as const;
const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

const servers: Server[] = [];

/** An app serving `GET /thing` (read) and `PUT /thing` (write) to whoever the middleware lets through. */
async function appWith(configured: OpsTokens): Promise<string> {
  const app = express();
  app.get('/thing', requireOpsAccess(configured, OpsAccess.READ), (_request, response) => void response.json({ read: true }));
  app.put('/thing', requireOpsAccess(configured, OpsAccess.WRITE), (_request, response) => void response.json({ written: true }));
  const server = await listen(app, 0, '127.0.0.1');
  servers.push(server);
  return `http://127.0.0.1:${boundPort(server)}`;
}

async function call(baseUrl: string, method: 'GET' | 'PUT', authorization?: string) {
  const response = await fetch(`${baseUrl}/thing`, { method, headers: authorization === undefined ? {} : { authorization } });
  return { status: response.status, contentType: response.headers.get('content-type'), challenge: response.headers.get('www-authenticate'), body: (await response.json()) as Record<string, any> };
}

let configured: string;

beforeAll(async () => {
  configured = await appWith(tokens);
});

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

describe('requireOpsAccess', () => {
  it.each([
    ['the ops token as a bearer token', `Bearer ${tokens.opsToken}`, 200, 200],
    ['the ops token as the Basic password', basic(tokens.opsToken), 200, 200],
    ['the ops token after a lower-case scheme', `bearer ${tokens.opsToken}`, 200, 200],
    ['the read token as a bearer token', `Bearer ${tokens.readToken}`, 200, 403],
    ['the read token as the Basic password', basic(tokens.readToken), 200, 403],
    ['no Authorization header', undefined, 401, 401],
    ['a wrong bearer token', 'Bearer not-an-ops-token', 401, 401],
    ['the ops token without a scheme', tokens.opsToken, 401, 401],
    ['the ops token as the Basic user name', `Basic ${Buffer.from(`${tokens.opsToken}:`).toString('base64')}`, 401, 401],
  ])('When a request carries %s, then a read answers %i and a write %i', async (_case, authorization, read, write) => {
    expect((await call(configured, 'GET', authorization)).status).toBe(read);
    expect((await call(configured, 'PUT', authorization)).status).toBe(write);
  });

  it('When a customer JWT is sent, then reads and writes answer 401', async () => {
    const { Authorization } = await authorizationFor('ada');

    expect((await call(configured, 'GET', Authorization)).status).toBe(401);
    expect((await call(configured, 'PUT', Authorization)).status).toBe(401);
  });

  it('When no token is sent, then the 401 is problem+json with a challenge, naming the Authorization header', async () => {
    const answer = await call(configured, 'GET');

    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.challenge).toBe('Bearer realm="orderflow-ops"');
    expect(answer.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Expected an Authorization header with an ops bearer token, but none was sent' });
    expect(answer.body.errors).toEqual([{ field: 'Authorization', message: 'Expected Bearer <ORDERFLOW_OPS_TOKEN> or Bearer <ORDERFLOW_OPS_READ_TOKEN>' }]);
  });

  it('When the read token is sent for a write, then the 403 is problem+json saying it may only read', async () => {
    const answer = await call(configured, 'PUT', `Bearer ${tokens.readToken}`);

    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 403, title: 'Forbidden', detail: expect.stringContaining('PUT /thing, but the token given may only read') });
    expect(answer.body.errors).toEqual([{ field: 'Authorization', message: 'Expected Bearer <ORDERFLOW_OPS_TOKEN>' }]);
  });

  it('When no token is configured, then every request answers 401 naming the variable to set', async () => {
    const unconfigured = await appWith({});

    const read = await call(unconfigured, 'GET', 'Bearer anything');
    const write = await call(unconfigured, 'PUT', 'Bearer anything');

    expect([read.status, write.status]).toEqual([401, 401]);
    expect(read.body.detail).toBe('Expected ORDERFLOW_OPS_TOKEN or ORDERFLOW_OPS_READ_TOKEN to be configured for the operator endpoints, but it is not');
    expect(write.body.detail).toBe('Expected ORDERFLOW_OPS_TOKEN to be configured for the operator endpoints, but it is not');
  });

  it('When only the read token is configured, then it reads, and a write without a token names ORDERFLOW_OPS_TOKEN', async () => {
    const readOnly = await appWith({ readToken: tokens.readToken });

    expect((await call(readOnly, 'GET', `Bearer ${tokens.readToken}`)).status).toBe(200);
    expect((await call(readOnly, 'PUT', `Bearer ${tokens.readToken}`)).status).toBe(403);
    expect((await call(readOnly, 'PUT')).body.detail).toContain('Expected ORDERFLOW_OPS_TOKEN to be configured');
  });
});

describe('opsAccessOf', () => {
  it.each([
    [`Bearer ${tokens.opsToken}`, OpsAccess.WRITE],
    [`Bearer ${tokens.readToken}`, OpsAccess.READ],
    [basic(tokens.readToken), OpsAccess.READ],
    [`Bearer ${tokens.opsToken}x`, OpsAccess.NONE],
    ['Bearer', OpsAccess.NONE],
    [`Token ${tokens.opsToken}`, OpsAccess.NONE],
    [undefined, OpsAccess.NONE],
  ])('%s grants %s', (authorization, access) => {
    expect(opsAccessOf(authorization, tokens)).toBe(access);
  });

  it('When no token is configured, then no header grants anything', () => {
    expect(opsAccessOf('Bearer ', {})).toBe(OpsAccess.NONE);
    expect(opsAccessOf(`Bearer ${tokens.opsToken}`, {})).toBe(OpsAccess.NONE);
  });
});

describe('loadOpsTokens', () => {
  it('When both variables are set, then both tokens are read', () => {
    expect(loadOpsTokens({ ORDERFLOW_OPS_TOKEN: 'ops', ORDERFLOW_OPS_READ_TOKEN: 'read' })).toEqual({ opsToken: 'ops', readToken: 'read' });
  });

  it('When the variables are empty or unset, then no token is configured', () => {
    expect(loadOpsTokens({ ORDERFLOW_OPS_TOKEN: '', ORDERFLOW_OPS_READ_TOKEN: '' })).toEqual({ opsToken: undefined, readToken: undefined });
    expect(loadOpsTokens({})).toEqual({ opsToken: undefined, readToken: undefined });
  });
});
