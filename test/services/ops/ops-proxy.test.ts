/**
 * The ops server without a browser: its `/v2` proxy forwards the caller's token and the API's
 * answers unchanged, turns an unreachable or silent API into 502/504 problems, tells the page what
 * a token may do, and serves the page with its bpmn-js assets.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOpsConfig } from '../../../services/ops/ops-config.js';
import { startOpsService, type OpsService } from '../../../services/ops/ops-service.js';
import { PROCESS_ID, startOpsTestSystem, type OpsTestSystem } from './ops-test-kit.js';

describe('ops proxy against the engine REST API', () => {
  let system: OpsTestSystem;
  beforeAll(async () => {
    system = await startOpsTestSystem();
  });
  afterAll(() => system?.close());

  const viaOps = (path: string, init: RequestInit = {}) => fetch(`${system.ops.url}${path}`, init);
  const search = (authorization?: string) =>
    viaOps('/v2/process-definitions/search', { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ filter: { processDefinitionId: PROCESS_ID } }) });

  it('When a search carries the ops token, then the API answers it through the proxy', async () => {
    const response = await search(`Bearer ${system.token}`);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { processDefinitionId: string }[] };
    expect(body.items.map((item) => item.processDefinitionId)).toEqual([PROCESS_ID]);
  });

  it('When a request has no token, then the API’s 401 problem and its challenge reach the caller unchanged', async () => {
    const response = await search();

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/^Expected an Authorization header/);
  });

  it('When the read-only token tries a write, then the API’s 403 reaches the caller', async () => {
    const response = await viaOps(`/v2/process-instances/1/cancellation`, { method: 'POST', headers: { authorization: `Bearer ${system.readToken}`, 'content-type': 'application/json' }, body: '{}' });

    expect(response.status).toBe(403);
  });

  it.each([
    { token: 'ops', canWrite: true },
    { token: 'read', canWrite: false },
  ] as const)('When the page asks what the $token token may do, then the session says canWrite $canWrite', async ({ token, canWrite }) => {
    const response = await viaOps('/ops/session', { headers: { authorization: `Bearer ${token === 'ops' ? system.token : system.readToken}` } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ canRead: true, canWrite, apiUrl: system.apiUrl });
  });

  it('When the page asks about a token the API does not know, then the session answers the API’s 401', async () => {
    const response = await viaOps('/ops/session', { headers: { authorization: 'Bearer not-a-token' } });

    expect(response.status).toBe(401);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/token given is not valid/);
  });

  it('When the page is requested, then it is served with a same-origin content security policy, and bpmn-js with it', async () => {
    const page = await viaOps('/');
    const viewer = await viaOps('/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js');
    const css = await viaOps('/vendor/bpmn-js/assets/bpmn-js.css');

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Orderflow ops</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(viewer.status).toBe(200);
    expect(css.status).toBe(200);
  });
});

describe('ops proxy in front of a misbehaving API', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const opsFor = async (apiUrl: string, apiTimeoutMs = 5_000): Promise<OpsService> => {
    const ops = await startOpsService({ port: 0, apiUrl, apiTimeoutMs, logger: pino({ level: 'silent' }) });
    closers.push(() => ops.close());
    return ops;
  };

  it('When the caller sends cookies and other headers, then only the token, content type and accept reach the API, with path and query unchanged', async () => {
    const seen: { url?: string; headers?: IncomingHttpHeaders; body?: string } = {};
    const api = await listening(
      createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          Object.assign(seen, { url: request.url, headers: request.headers, body });
          response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=1' }).end('{"ok":true}');
        });
      }),
    );
    closers.push(() => closed(api));
    const ops = await opsFor(`http://127.0.0.1:${port(api)}`);

    const response = await fetch(`${ops.url}/v2/variables/search?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer t-1', 'content-type': 'application/json', accept: 'application/json', cookie: 'secret=1', 'x-forwarded-for': '10.0.0.1' },
      body: '{"filter":{}}',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(seen.url).toBe('/v2/variables/search?x=1');
    expect(seen.body).toBe('{"filter":{}}');
    expect(seen.headers).toMatchObject({ authorization: 'Bearer t-1', 'content-type': 'application/json', accept: 'application/json' });
    expect(seen.headers?.cookie).toBeUndefined();
    expect(seen.headers?.['x-forwarded-for']).toBeUndefined();
  });

  it('When the API refuses connections, then the proxy answers 502 naming the API URL', async () => {
    const api = await listening(createServer());
    const apiUrl = `http://127.0.0.1:${port(api)}`;
    await closed(api);
    const ops = await opsFor(apiUrl);

    const response = await fetch(`${ops.url}/v2/process-instances/search`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toBe(`Expected the orchestration cluster API at ${apiUrl} to answer, but the connection failed (ECONNREFUSED)`);
  });

  it('When the page asks the Order service and it refuses connections, then the proxy answers 502 naming the Order service, not the API', async () => {
    const orders = await listening(createServer());
    const orderUrl = `http://127.0.0.1:${port(orders)}`;
    await closed(orders);
    const ops = await startOpsService({ port: 0, apiUrl: 'http://127.0.0.1:9', orderUrl, logger: pino({ level: 'silent' }) });
    closers.push(() => ops.close());

    const response = await fetch(`${ops.url}/ops/orders/0b6f3c1e-8a7d-4f50-9a43-3f4e0b8e2c11`);

    expect(response.status).toBe(502);
    expect(((await response.json()) as { detail: string }).detail).toBe(`Expected the Order service at ${orderUrl} to answer, but the connection failed (ECONNREFUSED)`);
  });

  it('When the API accepts but never answers, then the proxy answers 504 after its timeout', async () => {
    const sockets: Socket[] = [];
    const api = createTcpServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(api, 'listening');
    closers.push(async () => {
      sockets.forEach((socket) => socket.destroy());
      api.close();
    });
    const ops = await opsFor(`http://127.0.0.1:${(api.address() as { port: number }).port}`, 300);

    const response = await fetch(`${ops.url}/v2/process-instances/1`);

    expect(response.status).toBe(504);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/did not answer within 300 ms$/);
  });
});

describe('ops configuration', () => {
  it('When nothing is set, then the page serves on 8081 in front of the embedded engine on 8080 and the Order service on 3000', () => {
    expect(loadOpsConfig({})).toMatchObject({ port: 8081, host: '127.0.0.1', apiUrl: 'http://127.0.0.1:8080', orderUrl: 'http://127.0.0.1:3000' });
  });

  it('When the Order service URL is set, then it is used without a trailing slash; one that is not an http URL fails naming the variable', () => {
    expect(loadOpsConfig({ ORDERFLOW_OPS_ORDER_URL: 'http://orders.internal:3000/' }).orderUrl).toBe('http://orders.internal:3000');
    expect(() => loadOpsConfig({ ORDERFLOW_OPS_ORDER_URL: 'orders' })).toThrow(/ORDERFLOW_OPS_ORDER_URL/);
  });

  it('When the API URL is not an http URL, then loading fails naming the variable', () => {
    expect(() => loadOpsConfig({ ORDERFLOW_OPS_API_URL: 'ftp://cluster' })).toThrow(/ORDERFLOW_OPS_API_URL/);
  });
});

async function listening(server: Server): Promise<Server> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function port(server: Server): number {
  return (server.address() as { port: number }).port;
}

async function closed(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
