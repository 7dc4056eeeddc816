/** The command line of `npm run bench`, validated in one place. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { systemProcessNames, type SystemProcessName } from '../../scripts/system/index.js';

export const Scenario = { HAPPY: 'happy', PARKED: 'parked' } as const;
export type Scenario = (typeof Scenario)[keyof typeof Scenario];

const benchRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchOptions {
  scenario: Scenario;
  orders: number;
  concurrency: number;
  /** Orders sent per second at most; unset sends as fast as `concurrency` lanes allow. */
  ratePerSecond: number | undefined;
  /** Distinct customers the orders are spread over, each with a card of their own. */
  customers: number;
  /** Where e2e.json (or e2e-parked.json) and the chart are written. */
  outputDirectory: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Gives up when no order has moved for this long. */
  stallTimeoutSeconds: number;
  /** Seconds the system is watched idle before the load, to tell its background work from its work per order. */
  idleSeconds: number;
  /** Processes run with `node --cpu-prof`; profiles land in the run's `profiles/` directory. */
  profile: SystemProcessName[];
  /** Happy path: orders placed and completed before the measured ones (JIT, connections, caches), left out of every figure. */
  warmupOrders: number;
  /** Parked: seconds the parked orders are watched waiting before the clock jump; memory is read as they start and as they end. */
  waitSeconds: number;
}

const optionsSchema = z.object({
  scenario: z.enum([Scenario.HAPPY, Scenario.PARKED]),
  orders: z.coerce.number().int().min(1).max(1_000_000).optional(),
  concurrency: z.coerce.number().int().min(1).max(1_024).default(64),
  rate: z.coerce.number().positive().optional(),
  customers: z.coerce.number().int().min(1).max(100_000).optional(),
  'out-dir': z.string().min(1).default(path.join(benchRoot, 'results')),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  'stall-timeout': z.coerce.number().int().min(5).default(120),
  'idle-seconds': z.coerce.number().int().min(0).max(600).default(10),
  'warmup-orders': z.coerce.number().int().min(0).max(100_000).default(500),
  'wait-seconds': z.coerce.number().int().min(0).max(3_600).default(120),
  profile: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.enum(systemProcessNames as [SystemProcessName, ...SystemProcessName[]]))),
});

export const usage = `npm run bench -- [--scenario happy|parked] [--orders N] [--concurrency C] [--rate R] [--customers N]
                     [--out-dir DIR] [--log-level info] [--stall-timeout SECONDS]
                     [--idle-seconds 10] [--warmup-orders 500] [--wait-seconds 120] [--profile engine,order,…]
  happy (default): N orders (default 10000) on the happy path, throughput and latency, after
                   --warmup-orders orders that no figure counts
  parked:          N orders (default 100000) waiting for a card update, memory as the last one parks
                   and after --wait-seconds of waiting, then a two-week clock jump`;

/** @throws Error naming each bad option. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string', default: Scenario.HAPPY },
      orders: { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      customers: { type: 'string' },
      'out-dir': { type: 'string' },
      'log-level': { type: 'string' },
      'stall-timeout': { type: 'string' },
      'idle-seconds': { type: 'string' },
      'warmup-orders': { type: 'string' },
      'wait-seconds': { type: 'string' },
      profile: { type: 'string' },
    },
    strict: true,
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) throw new Error(`Expected valid options, but ${z.prettifyError(parsed.error)}\n${usage}`);
  const o = parsed.data;
  return {
    scenario: o.scenario,
    orders: o.orders ?? (o.scenario === Scenario.HAPPY ? 10_000 : 100_000),
    concurrency: o.concurrency,
    ratePerSecond: o.rate,
    customers: o.customers ?? o.concurrency,
    outputDirectory: path.resolve(o['out-dir']),
    logLevel: o['log-level'],
    stallTimeoutSeconds: o['stall-timeout'],
    idleSeconds: o['idle-seconds'],
    profile: o.profile,
    warmupOrders: o.scenario === Scenario.HAPPY ? o['warmup-orders'] : 0,
    waitSeconds: o['wait-seconds'],
  };
}
