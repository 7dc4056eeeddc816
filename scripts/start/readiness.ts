/** Waiting for a started process to serve, by polling what it exposes, within a bound. */
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Resolves once `check` answers true; rejects after `timeoutMs` or as soon as `abandon` settles. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, abandon: Promise<unknown>): Promise<void> {
  let abandoned = false;
  void abandon.then(() => (abandoned = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (abandoned) throw new Error(`Expected ${what} to become ready, but its process exited`);
    if (await check().catch(() => false)) return;
    await delay(200);
  }
  throw new Error(`Expected ${what} to become ready within ${timeoutMs} ms, but it did not`);
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  return response.ok;
}

export function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}
