import { pino, type Logger } from 'pino';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';
import { createOpsHttpApp } from './entry-points/http/ops-http-app.js';
import { DEFAULT_ORDER_URL } from './ops-config.js';

export interface OpsServiceOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Base URL of the orchestration cluster REST API (without `/v2`). */
  apiUrl: string;
  /** Base URL of the Order service; default `http://127.0.0.1:3000`. */
  orderUrl?: string;
  apiTimeoutMs?: number;
  logger?: Logger;
}

export interface OpsService {
  port: number;
  /** `http://host:port` of the page. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the ops page, its `/v2` proxy to the orchestration cluster REST API and its `/ops/orders`
 * and `/ops/stuck-orders` proxy to the Order service.
 * @throws when the port cannot be bound.
 */
export async function startOpsService(options: OpsServiceOptions): Promise<OpsService> {
  const logger = (options.logger ?? pino({ name: 'ops' })).child({ service: 'ops' });
  const host = options.host ?? '127.0.0.1';
  const app = createOpsHttpApp({
    apiUrl: options.apiUrl.replace(/\/+$/, ''),
    orderUrl: (options.orderUrl ?? DEFAULT_ORDER_URL).replace(/\/+$/, ''),
    apiTimeoutMs: options.apiTimeoutMs ?? 15_000,
    logger,
  });
  const server = await listen(app, options.port ?? 8081, host);
  const port = boundPort(server);
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () => (closing ??= closeServer(server)),
  };
}
