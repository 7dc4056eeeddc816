/**
 * The management port over real HTTP: readiness, and Zeebe's clock actuator with the same paths,
 * bodies and answers as Zeebe started with `ZEEBE_CLOCK_CONTROLLED=true`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { startTestEngine } from './client-test-support.js';

let server: EngineServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function startWithClock(clockControlled: boolean): Promise<EngineServer> {
  server = await startTestEngine({ clockControlled });
  return server;
}

function request(path: string, init: { method?: string; body?: unknown } = {}) {
  const url = `http://${server!.host}:${server!.managementPort}${path}`;
  return fetch(url, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

describe('probes', () => {
  it('When the engine is open, then /ready and /health answer 200 UP', async () => {
    await startWithClock(false);

    for (const path of ['/ready', '/health']) {
      const response = await request(path);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'UP' });
    }
  });
});

describe('clock actuator', () => {
  const twoWeeksMs = 14 * 24 * 60 * 60 * 1000;

  it('When the clock is not controlled, then the actuator is not there, and the 404 says which variable turns it on', async () => {
    await startWithClock(false);

    const read = await request('/actuator/clock');
    expect(read.status).toBe(404);
    expect(read.headers.get('content-type')).toContain('application/problem+json');
    expect(((await read.json()) as { detail: string }).detail).toContain('ZEEBE_CLOCK_CONTROLLED=true');
    expect((await request('/actuator/clock/pin', { method: 'POST', body: { epochMilli: 0 } })).status).toBe(404);
  });

  it('When an unknown path is asked for, then it answers 404 problem details naming the paths there are', async () => {
    await startWithClock(true);

    const response = await request('/actuator/health');

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, title: 'Not Found', detail: expect.stringContaining('GET /actuator/health') });
  });

  it('When the clock is pinned, then the answer and later reads show the pinned instant', async () => {
    await startWithClock(true);

    const pinned = await request('/actuator/clock/pin', {
      method: 'POST',
      body: { epochMilli: 1635672964533 },
    });
    const read = await request('/actuator/clock');

    const expected = { epochMilli: 1635672964533, instant: '2021-10-31T09:36:04.533Z' };
    expect(pinned.status).toBe(200);
    expect(await pinned.json()).toEqual(expected);
    expect(await read.json()).toEqual(expected);
    expect(server!.engine.clock.now()).toBe(1635672964533);
  });

  it('When two weeks are added to a pinned clock, then it stays pinned two weeks later', async () => {
    await startWithClock(true);
    await request('/actuator/clock/pin', { method: 'POST', body: { epochMilli: 1_700_000_000_000 } });

    const added = await request('/actuator/clock/add', {
      method: 'POST',
      body: { offsetMilli: twoWeeksMs },
    });

    expect(await added.json()).toEqual({
      epochMilli: 1_700_000_000_000 + twoWeeksMs,
      instant: '2023-11-28T22:13:20Z',
    });
  });

  it('When the clock is reset, then it follows system time again', async () => {
    await startWithClock(true);
    await request('/actuator/clock/pin', { method: 'POST', body: { epochMilli: 0 } });

    const reset = await request('/actuator/clock', { method: 'DELETE' });

    const { epochMilli } = (await reset.json()) as { epochMilli: number };
    expect(reset.status).toBe(200);
    expect(Math.abs(epochMilli - Date.now())).toBeLessThan(5_000);
  });

  it.each([
    { path: '/actuator/clock/pin', body: {}, field: 'epochMilli' },
    { path: '/actuator/clock/pin', body: { epochMilli: 'soon' }, field: 'epochMilli' },
    { path: '/actuator/clock/add', body: { offsetMilli: 1.5 }, field: 'offsetMilli' },
  ])('When $path gets $body, then it answers 400 naming $field', async ({ path, body, field }) => {
    await startWithClock(true);

    const response = await request(path, { method: 'POST', body });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain(field);
  });

  it('When the clock is pinned before the epoch, then it answers 400 and the clock keeps its time', async () => {
    await startWithClock(true);
    await request('/actuator/clock/pin', { method: 'POST', body: { epochMilli: 1_700_000_000_000 } });

    const response = await request('/actuator/clock/pin', { method: 'POST', body: { epochMilli: -1 } });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toBe('Expected pin time to be not negative but it was -1');
    expect(server!.engine.clock.now()).toBe(1_700_000_000_000);
  });

  it('When an unknown clock operation is posted, then it answers 400 naming the operation', async () => {
    await startWithClock(true);

    const response = await request('/actuator/clock/stop', { method: 'POST', body: {} });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('`stop`');
  });
});
