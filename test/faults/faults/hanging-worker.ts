/**
 * A worker that takes jobs and never answers: a second `shipping.ship` job stream, opened beside the
 * real workers', whose handler never settles. The engine deals jobs round robin over the streams, so
 * it takes about half of them. While it holds them their orders do not move, and the Order service's
 * stuck-order watchdog must flag exactly those (`GET /ops/stuck-orders`, gauge `orderflow_stuck_orders`).
 * Once they are flagged the hanging worker goes away (its jobs stay activated, as after a crash); the
 * jobs time out and the real workers take them, and the orders finish.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { SystemClient } from '../system-client.js';
import type { InvariantResult } from '../invariants.js';
import type { Fault, FaultContext } from './fault.js';

/** How long the engine leaves a job with the hanging worker before handing it to another. */
const HUNG_JOB_TIMEOUT_MS = 20_000;
const FLAG_BOUND_MS = 15_000;
const HUNG_JOB_TYPE = 'shipping.ship';

/**
 * The watchdog settings the Order service must run with for this fault to be seen in time: it looks
 * every second and calls five seconds still "stuck", so a hang is seen within a scenario.
 */
export const stuckOrderWatchEnv: Record<string, string> = { ORDER_STUCK_THRESHOLD_MS: '5000', ORDER_STUCK_CHECK_INTERVAL_MS: '1000' };

export function hangingWorker(): Fault {
  const heldOrders = new Set<string>();
  let stream: { close: () => void } | undefined;
  const problems: string[] = [];
  let flagged = 0;
  let gauge: number | undefined;

  const release = () => {
    stream?.close();
    stream = undefined;
  };

  return {
    injected: () => heldOrders.size,
    async start({ engine }: FaultContext) {
      stream = await engine.zeebe.streamJobs({
        type: HUNG_JOB_TYPE,
        worker: 'fault-hanging-worker',
        timeout: HUNG_JOB_TIMEOUT_MS,
        fetchVariables: ['orderId'],
        // Undefined: the SDK uses its configured tenant, as the real workers do (workers/job-worker-runner.ts).
        tenantIds: undefined as unknown as string[],
        pollInterval: 0,
        taskHandler: (job) => {
          heldOrders.add(String((job.variables as { orderId?: unknown }).orderId));
          return new Promise(() => undefined);
        },
      });
    },
    async end({ client }: FaultContext) {
      // The last orders may not have reached shipping yet: wait (bounded) until the hanging worker holds some.
      const deadline = Date.now() + FLAG_BOUND_MS;
      while (heldOrders.size === 0 && Date.now() < deadline) await delay(250);
      ({ flagged, gauge } = await awaitFlagged(client, heldOrders, problems));
      release();
    },
    async verify({ client }: FaultContext): Promise<InvariantResult[]> {
      const after = await stuckOrders(client);
      const stillListed = [...heldOrders].filter((orderId) => after.includes(orderId));
      return [
        {
          invariant: 'the watchdog flagged every order the hanging worker held',
          held: heldOrders.size > 0 && flagged === heldOrders.size && problems.length === 0,
          detail: heldOrders.size === 0 ? 'the hanging worker took no job' : problems.length > 0 ? problems.join('; ') : `${flagged}/${heldOrders.size} flagged, gauge ${gauge}`,
        },
        { invariant: 'the watchdog clears them once they move', held: stillListed.length === 0, detail: stillListed.length === 0 ? 'none listed' : `still listed: ${stillListed.join(', ')}` },
      ];
    },
    cleanUp: async () => release(),
  };
}

/** Polls `GET /ops/stuck-orders` until every held order is listed (bounded), and reads the gauge then. */
async function awaitFlagged(client: SystemClient, held: Set<string>, problems: string[]): Promise<{ flagged: number; gauge: number | undefined }> {
  const deadline = Date.now() + FLAG_BOUND_MS;
  let listed: string[] = [];
  while (Date.now() < deadline) {
    listed = await stuckOrders(client).catch((error: unknown) => {
      problems.push((error as Error).message);
      return [];
    });
    if ([...held].every((orderId) => listed.includes(orderId))) break;
    await delay(500);
  }
  const flagged = [...held].filter((orderId) => listed.includes(orderId)).length;
  if (flagged < held.size) problems.push(`only ${flagged} of ${held.size} held orders listed within ${FLAG_BOUND_MS} ms`);
  const gauge = await stuckGauge(client);
  if (gauge === undefined || gauge < flagged) problems.push(`expected orderflow_stuck_orders ≥ ${flagged}, but it is ${gauge}`);
  return { flagged, gauge };
}

async function stuckOrders(client: SystemClient): Promise<string[]> {
  const answer = await client.request('order', 'GET', '/ops/stuck-orders', { ops: true });
  if (answer.status !== 200) throw new Error(`Expected 200 from GET /ops/stuck-orders, but got ${answer.status}`);
  return (answer.body.items as { orderId: string }[]).map((item) => item.orderId);
}

async function stuckGauge(client: SystemClient): Promise<number | undefined> {
  const answer = await client.request('order', 'GET', '/metrics');
  // Prometheus text format; the registry may add default labels.
  const sample = /^orderflow_stuck_orders(?:\{[^}]*\})? (\S+)$/m.exec(String(answer.body));
  return sample ? Number(sample[1]) : undefined;
}
