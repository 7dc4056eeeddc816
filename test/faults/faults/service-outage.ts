/**
 * A service down longer than every retry of the saga: the process sends the command, waits
 * `serviceTimeout` (PT5M, passed with the engine's clock actuator), sends it again, and after
 * `maxCommandAttempts` the gateway "… command attempts left?" has no flow to take: an incident. Then
 * the service comes back and works through its queue, and the operator does what the process's
 * documentation says: set the step's counter to 0 where the process keeps it, and resolve the
 * incident with gRPC `ResolveIncident`. The command goes out once more and the order finishes,
 * charged once: the repeated commands all carry the same order.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { commandQueueName, topologyNames } from '../../../infra/messaging/index.js';
import type { InvariantResult } from '../invariants.js';
import type { Fault, FaultContext } from './fault.js';

/** The command tasks of checkout.bpmn: their gateway, and the counter the operator resets. */
const steps: Record<'payment' | 'inventory' | 'shipping', { gateway: string; counter: string }> = {
  payment: { gateway: 'payment-attempts-left', counter: 'paymentAttempts' },
  inventory: { gateway: 'reservation-attempts-left', counter: 'reservationAttempts' },
  shipping: { gateway: 'shipment-attempts-left', counter: 'shipmentAttempts' },
};

const SERVICE_TIMEOUT_MS = 5 * 60_000;
/** checkout.bpmn's default `maxCommandAttempts`; one more timeout than attempts reaches the gateway's dead end. */
const TIMEOUTS_TO_INCIDENT = 3;
/** How long the command queue must stay unchanged before the re-sent commands count as all sent. */
const QUIET_MS = 2_000;
const BOUND_MS = 30_000;

export function serviceOutage(service: keyof typeof steps): Fault {
  const step = steps[service];
  let raised = 0;
  let resolved = 0;
  let resolutionErrors: string[] = [];

  return {
    injected: () => 1 + raised,
    async start({ system }: FaultContext) {
      await system.kill(service);
    },
    async end({ system, engine, broker }: FaultContext) {
      const queue = commandQueueName(topologyNames(system.messaging.prefix), service);
      await untilQuiet(() => broker.readyCount(queue));
      for (let timeout = 0; timeout < TIMEOUTS_TO_INCIDENT; timeout++) {
        await engine.addToClock(SERVICE_TIMEOUT_MS + 1_000);
        await untilQuiet(() => broker.readyCount(queue));
      }
      await untilQuiet(async () => engine.openIncidents().length);
      const incidents = engine.openIncidents().filter((incident) => incident.elementId === step.gateway);
      raised = incidents.length;
      await system.startProcess(service);
      await untilDrained(() => broker.readyCount(queue));
      resolutionErrors = [];
      for (const incident of incidents) {
        try {
          // Set from the gateway's own instance, not local: the variable is found in whichever scope holds it.
          await engine.zeebe.setVariables({ elementInstanceKey: incident.elementInstanceKey, variables: { [step.counter]: 0 }, local: false });
          await engine.zeebe.resolveIncident({ incidentKey: incident.key });
          resolved += 1;
        } catch (error) {
          resolutionErrors.push(`${incident.key}: ${(error as Error).message}`);
        }
      }
    },
    async verify(): Promise<InvariantResult[]> {
      const problems = [...(raised === 0 ? [`expected incidents on ${step.gateway}, but none was raised`] : []), ...resolutionErrors];
      return [{ invariant: 'the outage raised incidents and each was resolved', held: problems.length === 0 && resolved === raised, detail: problems.length === 0 ? `${raised} raised, ${resolved} resolved` : problems.join('; ') }];
    },
  };
}

/** Polls `read` until its value has not changed for QUIET_MS, within BOUND_MS. */
async function untilQuiet(read: () => Promise<number>): Promise<void> {
  const deadline = Date.now() + BOUND_MS;
  let last = await read();
  let since = Date.now();
  while (Date.now() < deadline && Date.now() - since < QUIET_MS) {
    await delay(250);
    const now = await read();
    if (now !== last) [last, since] = [now, Date.now()];
  }
}

async function untilDrained(read: () => Promise<number>): Promise<void> {
  const deadline = Date.now() + BOUND_MS;
  while (Date.now() < deadline && (await read()) > 0) await delay(250);
}
