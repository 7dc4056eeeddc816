/** The services' request histogram, on a real Express app over HTTP: one series per route pattern, never per URL. */
import type { Server } from 'node:http';
import express, { Router } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { boundPort, closeServer, listen } from '../../lib/http/server.js';
import { createMetricsRegistry, httpMetrics, metricsHandler } from '../../lib/metrics/index.js';
import { scrape } from './support/prometheus-scrape.js';

let server: Server;
let baseUrl: string;

beforeEach(async () => {
  const registry = createMetricsRegistry('http-test', { defaultMetrics: false });
  const orders = Router();
  orders.get('/orders/:id', (request, response) => {
    if (request.params.id === 'missing') response.status(404).json({});
    else response.json({ id: request.params.id });
  });
  const app = express().use(httpMetrics(registry)).get('/metrics', metricsHandler(registry)).use(orders);
  server = await listen(app, 0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${boundPort(server)}`;
});

afterEach(() => closeServer(server));

describe('HTTP request metrics', () => {
  it('When two URLs of one route are requested, then they count under the route pattern with their status', async () => {
    for (const id of ['a1', 'b2', 'missing']) await fetch(`${baseUrl}/orders/${id}`);

    const metrics = await scrape(`${baseUrl}/metrics`);
    expect(metrics.value('http_server_request_duration_seconds_count', { method: 'GET', route: '/orders/:id', status: '200' })).toBe(2);
    expect(metrics.value('http_server_request_duration_seconds_count', { method: 'GET', route: '/orders/:id', status: '404' })).toBe(1);
    expect(metrics.has('http_server_request_duration_seconds_count', { route: '/orders/a1' })).toBe(false);
  });

  it('When a request matches no route, then it counts under the route "unmatched"', async () => {
    await fetch(`${baseUrl}/no/such/path`);

    const metrics = await scrape(`${baseUrl}/metrics`);
    expect(metrics.value('http_server_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
  });
});
