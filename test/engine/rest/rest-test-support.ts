/**
 * What the REST API tests share: an engine server with its REST API on ephemeral loopback ports,
 * the official typed client (`@camunda8/orchestration-cluster-api`) configured for it with a
 * static bearer token, and the eventual-consistency waits the client offers for searches.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createCamundaClient, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startEngineServer, type EngineServer, type EngineServerOptions } from '../../../infra/engine/engine-server.js';

export const OPS_TOKEN = 'ops-token-for-rest-tests';
export const READ_TOKEN = 'read-token-for-rest-tests';

/** A fresh engine (in memory unless given a data dir) serving gRPC, management and REST on free ports. */
export function startRestEngine(options: EngineServerOptions = {}): Promise<EngineServer> {
  return startEngineServer({
    grpcPort: 0, managementPort: 0, restPort: 0, opsToken: OPS_TOKEN, opsReadToken: READ_TOKEN,
    clockControlled: true, shutdownGraceMs: 1_000, ...options,
  });
}

/** A fresh REST engine and its typed client for each test of the calling file, closed after the test. */
export function restEngineForEachTest(): { readonly server: EngineServer; readonly client: CamundaClient } {
  const current = {} as { server: EngineServer; client: CamundaClient };
  beforeEach(async () => {
    current.server = await startRestEngine();
    current.client = restClient(current.server);
  });
  afterEach(async () => {
    await current.server.close();
  });
  return current;
}

/**
 * One REST engine for all tests of the calling file, with `ops-order.bpmn` deployed: an order that
 * waits at its pack task (`ops-pack` jobs). Closed after the file's last test.
 */
export function opsOrderEngineForFile(): { readonly server: EngineServer; readonly client: CamundaClient } {
  const current = {} as { server: EngineServer; client: CamundaClient };
  beforeAll(async () => {
    current.server = await startRestEngine();
    current.client = restClient(current.server);
    await deployOpsOrder(current.client);
  });
  afterAll(async () => {
    await current.server.close();
  });
  return current;
}

export function restAddress(server: EngineServer): string {
  return `http://${server.host}:${server.restPort}`;
}

/**
 * The official client validating every response against Camunda 8.8's schemas, with no HTTP retries (a test sees each status as sent). The client sends credentials only
 * for BASIC and OAUTH; configured without code, it sends the token as the Basic password.
 */
export function restClient(server: EngineServer, token: string = OPS_TOKEN): CamundaClient {
  return createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: restAddress(server),
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'ops',
      CAMUNDA_BASIC_AUTH_PASSWORD: token,
      // Strict request validation would strip cursors: the client's page schema tries from/limit first.
      CAMUNDA_SDK_VALIDATION: 'req:none,res:strict',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    } as never,
  });
}

/** The same client sending `Authorization: Bearer <token>`: its auth-headers hook replaces the Basic header. */
export function bearerRestClient(server: EngineServer, token: string = OPS_TOKEN): CamundaClient {
  const client = restClient(server, 'unused');
  client.onAuthHeaders((headers) => ({ ...headers, Authorization: `Bearer ${token}` }));
  return client;
}

/** `@camunda8/sdk`'s REST client with a static bearer token (its BEARER strategy). */
export function sdkRestClient(server: EngineServer) {
  return new Camunda8({
    ZEEBE_REST_ADDRESS: restAddress(server),
    CAMUNDA_AUTH_STRATEGY: 'BEARER',
    CAMUNDA_OAUTH_TOKEN: OPS_TOKEN,
    CAMUNDA_LOG_LEVEL: 'none',
    CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
  } as ConstructorParameters<typeof Camunda8>[0]).getCamundaRestClient();
}

/** Raw HTTP, for tests where the status and headers are the point: POST unless told, JSON body, no token unless given. */
export function restCall(server: EngineServer, path: string, init: { method?: string; body?: unknown; authorization?: string } = {}) {
  return fetch(`${restAddress(server)}${path}`, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.authorization === undefined ? {} : { authorization: init.authorization }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

/** How long a search may lag behind the engine in these tests (it is milliseconds in practice). */
export const eventually = { waitUpToMs: 5_000, pollIntervalMs: 20 };

/** Waits until the search's predicate holds, as a client of Camunda's eventually consistent search does. */
export function until<T>(predicate: (result: T) => boolean) {
  return { consistency: { ...eventually, predicate } };
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A BPMN fixture as the File the client's multipart deployment takes. */
export async function fixtureFile(path: string, name = path.split('/').pop()!): Promise<File> {
  return new File([await readFile(path)], name, { type: 'application/xml' });
}

export async function deployOpsOrder(client: CamundaClient) {
  const deployment = await client.createDeployment({ resources: [await fixtureFile(fixturePath('ops-order.bpmn'))] });
  return deployment.deployments[0]!.processDefinition!;
}
