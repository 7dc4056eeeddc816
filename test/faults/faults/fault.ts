/**
 * A fault the suite injects into a running system mid-stream. `start` runs once half the orders are
 * placed, `end` once the last is placed; `cleanUp` always runs, even after a failure, and must bring
 * back anything shared (the broker, the database server) that the fault took down.
 */
import type { SystemUnderTest } from '../../../scripts/system/index.js';
import type { BrokerProbe } from '../broker-probe.js';
import type { EngineProbe } from '../engine-probe.js';
import type { InvariantInputs, InvariantResult } from '../invariants.js';
import type { OrderStream } from '../order-stream.js';
import type { SystemClient } from '../system-client.js';

export interface FaultContext {
  system: SystemUnderTest;
  engine: EngineProbe;
  broker: BrokerProbe;
  stream: OrderStream;
  client: SystemClient;
}

export type FaultExpectations = Pick<InvariantInputs, 'outcomeOverrides' | 'expectedOpenIncidents' | 'injectedPoisonIds'>;

export interface Fault {
  /** How many faults were injected: kills, restarts, duplicated messages, poison messages… */
  injected(): number;
  start(context: FaultContext): Promise<void>;
  end(context: FaultContext): Promise<void>;
  /** What the fault changes in what the invariants expect. */
  expectations?(): FaultExpectations;
  /**
   * Checks of the fault's own promise (an incident was raised and resolved, an order was flagged stuck),
   * run after the invariants held or their bound passed; `recheck` judges every invariant again now.
   */
  verify?(context: FaultContext, recheck: () => Promise<InvariantResult[]>): Promise<InvariantResult[]>;
  cleanUp?(): Promise<void>;
}
