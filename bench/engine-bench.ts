/**
 * `npm run bench:engine [-- --seconds N] [--in-flight N] [--rate N] [--waiting N] [--profile] [--phases polling,streaming,paced,waiting] [--cpu-quota CORES]`
 *
 * Measures the embedded engine: the engine in one process, the `@camunda8/sdk` client (workers and
 * instance creation) in another, over gRPC on loopback. `--phases` runs only some phases (writing
 * bench/results/engine-partial.json, so engine.json always holds a complete run).
 *  1. start → three service tasks → end, with ActivateJobs polling workers, then with job streaming:
 *     completed instances per second, create → completed latency (createProcessInstanceWithResult), and
 *     the CPU per completed instance of the engine process and of the client process: on a machine
 *     whose cores both sides share, throughput is bounded by their sum.
 *  2. The same with streaming workers, paced: `--rate N` instances per second (default 600), each
 *     latency counted from when its instance was due, which is how "p99 at N instances/s" is read;
 *     a closed-loop warm-up runs first and drains, so a cold start's backlog is not counted.
 *     Closed-loop latency is queueing (in flight ÷ throughput); paced latency is what a caller sees.
 *  3. Memory per instance waiting at a P14D timer: the median slope of the engine's RSS after a full
 *     GC over five steps of N instances (default 10,000), with the slope without GC and the average
 *     over all steps (the bounded caches' filling included) beside it.
 * `--cpu-quota 0.8` runs the benchmark, the engine and the client under a CPU quota of 0.8 of a
 * core (root only), to slow a fast machine to the speed of the goals' reference machine; the machine
 * speed it measures first says how close that came.
 * Prints a table and writes bench/results/engine.json. A benchmark, not a test: it asserts nothing.
 * `--profile` runs the engine and the load phases' workers with `node --cpu-prof`, leaving the
 * profiles in bench/results/profiles (summarize one with `npx tsx bench/profile-summary.ts <file>`).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MEASURING_LINE, RESULT_PREFIX, type BenchTask, type LoadResult, type WaitingResult } from './bench-task.js';
import { startEngineProcess, type EngineMemory, type EngineProcess } from './engine-process.js';
import { applyCpuQuota } from './machine/cpu-quota.js';
import { describeMachineSpeed, measureMachineSpeed } from './machine/machine-speed.js';
import { sdkZeebeClient } from './sdk-client.js';
import { nodeArgumentsFor } from '../scripts/start/child-process.js';
import { compiledTree } from '../scripts/start/compiled-tree.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(benchDir, 'results');
const profilesDir = path.join(resultsDir, 'profiles');

const PHASES = ['polling', 'streaming', 'paced', 'waiting'] as const;
/** The paced phase's rate unless `--rate` sets one: the rate the latency goal is stated at. */
const DEFAULT_PACED_RATE = 600;
/** Paced phase: outstanding instances at most, far above what the rate needs while the engine keeps up. */
const PACED_MAX_OUTSTANDING = 1_024;
type Phase = (typeof PHASES)[number];

interface BenchOptions {
  seconds: number;
  inFlight: number;
  /** The paced phase's instances per second. */
  rate: number;
  waiting: number;
  profile: boolean;
  /** Which phases run; all unless `--phases` names some (a profile of one phase, say). */
  phases: Phase[];
  /** Cores of CPU time for the benchmark and the processes it starts; unlimited unless given. */
  cpuQuota?: number;
}

function readOptions(argv: string[]): BenchOptions {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    if (index < 0) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`Expected a positive number after --${name}, but got ${argv[index + 1]}`);
    return parsed;
  };
  const phasesIndex = argv.indexOf('--phases');
  const phases = phasesIndex < 0 ? [...PHASES] : (argv[phasesIndex + 1] ?? '').split(',');
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length || phases.length === 0) throw new Error(`Expected --phases to list some of ${PHASES.join(', ')}, but got ${argv[phasesIndex + 1]}`);
  return {
    seconds: value('seconds', 20), inFlight: value('in-flight', 128), rate: value('rate', DEFAULT_PACED_RATE), waiting: value('waiting', 10_000),
    profile: argv.includes('--profile'), phases: phases as Phase[],
    ...(argv.includes('--cpu-quota') ? { cpuQuota: value('cpu-quota', 0) } : {}),
  };
}

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/** Starts a fresh engine on a temp data dir, deploys the fixtures, and hands it to the phase. */
async function withEngine<T>(label: string, options: BenchOptions, phase: (engine: EngineProcess, dataDir: string) => Promise<T>, extraNodeOptions: string[] = []): Promise<T> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `orderflow-bench-${label}-`));
  // One directory per phase, so a phase's profile is never mistaken for another's.
  const profileDir = path.join(profilesDir, `engine-${label}`);
  const nodeOptions = [...extraNodeOptions, ...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  if (options.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const engine = await startEngineProcess({ dataDir, nodeOptions, onLogLine: (line) => log(`  [engine] ${line}`) });
  log(`${label}: engine pid ${engine.pid} ready at ${engine.grpcAddress}, data in ${dataDir}`);
  try {
    const zeebe = sdkZeebeClient(engine.grpcAddress);
    for (const fixture of ['three-tasks.bpmn', 'waiting-timer.bpmn']) {
      await zeebe.deployResource({ processFilename: path.join(benchDir, 'fixtures', fixture) });
    }
    await zeebe.close();
    return await phase(engine, dataDir);
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs bench-workers.ts as its own process and returns its RESULT line. */
async function runWorkers<R>(task: BenchTask, profile: boolean, onMeasuring?: () => void): Promise<R> {
  const workersEntry = (await compiledTree()).entry('bench/bench-workers.ts');
  const profileDir = path.join(profilesDir, `workers-${task.mode}`);
  const nodeOptions = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, ...nodeArgumentsFor(workersEntry), JSON.stringify(task)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let result: R | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as R;
      else if (line === MEASURING_LINE) onMeasuring?.();
    });
    child.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`Expected the bench workers to report a result, but they exited with code ${code}`))));
  });
}

/** A load phase: closed loop at `options.inFlight`, or paced at `ratePerSecond` with a generous bound on what is outstanding. */
async function loadPhase(mode: 'polling' | 'streaming', options: BenchOptions, ratePerSecond?: number): Promise<LoadResult & { engineRssBytesAfter: number; engineCpuSeconds: number; engineCpuMsPerInstance: number }> {
  const label = ratePerSecond ? `${mode} at ${ratePerSecond}/s` : mode;
  return withEngine(ratePerSecond ? `${mode}-paced` : mode, options, async (engine) => {
    const inFlight = ratePerSecond ? PACED_MAX_OUTSTANDING : options.inFlight;
    log(ratePerSecond ? `${label}: ${options.seconds} s, at most ${inFlight} in flight` : `${label}: ${options.seconds} s at ${inFlight} instances in flight`);
    let cpuBefore = readCpuSeconds(engine.pid);
    const result = await runWorkers<LoadResult>({
      grpcAddress: engine.grpcAddress, mode, seconds: options.seconds, inFlight,
      ...(ratePerSecond ? { ratePerSecond } : {}),
      warmupSeconds: Math.min(3, options.seconds / 5), instances: 0,
    }, options.profile, () => (cpuBefore = readCpuSeconds(engine.pid)));
    const engineCpuSeconds = readCpuSeconds(engine.pid) - cpuBefore;
    log(`${label}: ${result.instancesPerSecond} instances/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, engine CPU ${engineCpuSeconds.toFixed(1)} s, client CPU ${result.clientCpuMsPerInstance} ms per instance`);
    // Engine CPU from the start of the measured part per instance completed in it. A paced load measures
    // every instance it sends; a closed loop's leading warm-up completions count here but not in `completed`.
    const completedInPhase = ratePerSecond ? result.completed : result.completed * (options.seconds / result.measuredSeconds);
    return {
      ...result, engineRssBytesAfter: engine.rssBytes(), engineCpuSeconds: Math.round(engineCpuSeconds * 10) / 10,
      engineCpuMsPerInstance: Math.round((engineCpuSeconds * 1000 * 100) / completedInPhase) / 100,
    };
  });
}

/** One reading of the memory phase, taken with this many instances waiting beyond the warm-up. */
interface MemoryStep {
  waitingInstances: number;
  /** RSS as it is, garbage included. */
  rssBytes: number;
  /** After a full garbage collection in the engine. */
  gc: EngineMemory;
}

interface MemoryResult {
  stepInstances: number;
  steps: MemoryStep[];
  warmupInstances: number;
  /** Median over the steps of (RSS after GC increase) / (instances added): retained memory. */
  waitingInstanceRssBytes: number;
  /** RSS after GC gained over all steps, per instance added: the bounded caches' filling included. */
  waitingInstanceRssBytesAveraged: number;
  /** The same slope from RSS without a GC first, as earlier runs measured it. */
  waitingInstanceRssBytesWithoutGc: number;
  /** Median slope of the V8 heap in use after GC: what live JavaScript objects retain. */
  waitingInstanceHeapBytes: number;
  storeBytesPerWaitingInstance: number;
  creation: WaitingResult[];
}

/** Enough steps past the bounded caches' filling (about 20,000 instances) for the median to be a steady-state slope. */
const MEMORY_STEPS = 5;

/**
 * Memory per waiting instance as a slope: after a warm-up batch (JIT code, SQLite's page cache and
 * the gRPC connection), five more batches of N instances wait at a P14D timer, and after each
 * the engine's RSS is read before and after a full GC (the engine runs with `--expose-gc`). The
 * median of the per-step slopes is the figure; a single before/after difference would count
 * whatever garbage happened to be uncollected at the second reading.
 */
async function memoryPhase(options: BenchOptions): Promise<MemoryResult> {
  return withEngine('waiting', options, async (engine, dataDir) => {
    const task = (instances: number): BenchTask => ({
      grpcAddress: engine.grpcAddress, mode: 'waiting', seconds: 0, inFlight: 64, warmupSeconds: 0, instances,
    });
    const warmupInstances = Math.min(1_000, options.waiting / 10);
    await runWorkers<WaitingResult>(task(warmupInstances), false);
    const read = async (waitingInstances: number): Promise<MemoryStep> => {
      await settle();
      const rssBytes = engine.rssBytes();
      const gc = await engine.collectGarbage();
      log(`waiting: ${waitingInstances} more waiting: RSS ${mib(rssBytes)}, after GC ${mib(gc.rss)} (heap ${mib(gc.heapUsed)})`);
      return { waitingInstances, rssBytes, gc };
    };
    const steps = [await read(0)];
    const storeBefore = storeBytes(dataDir);
    const creation: WaitingResult[] = [];
    for (let i = 1; i <= MEMORY_STEPS; i++) {
      creation.push(await runWorkers<WaitingResult>(task(options.waiting), false));
      steps.push(await read(steps.at(-1)!.waitingInstances + creation.at(-1)!.created));
    }
    const created = steps.at(-1)!.waitingInstances;
    const slope = (bytes: (step: MemoryStep) => number) =>
      Math.round(median(steps.slice(1).map((step, i) =>
        (bytes(step) - bytes(steps[i]!)) / Math.max(step.waitingInstances - steps[i]!.waitingInstances, 1))));
    return {
      stepInstances: options.waiting, steps, warmupInstances,
      waitingInstanceRssBytes: slope((step) => step.gc.rss),
      waitingInstanceRssBytesAveraged: Math.round((steps.at(-1)!.gc.rss - steps[0]!.gc.rss) / Math.max(created, 1)),
      waitingInstanceRssBytesWithoutGc: slope((step) => step.rssBytes),
      waitingInstanceHeapBytes: slope((step) => step.gc.heapUsed),
      storeBytesPerWaitingInstance: Math.round((storeBytes(dataDir) - storeBefore) / Math.max(created, 1)),
      creation,
    };
  }, ['--expose-gc']);
}

/** Median of a few values. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/** Lets the engine go idle so pending GC and WAL checkpoints are reflected in RSS. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3_000));
}

function storeBytes(dataDir: string): number {
  return ['engine.sqlite', 'engine.sqlite-wal']
    .map((name) => { try { return statSync(path.join(dataDir, name)).size; } catch { return 0; } })
    .reduce((a, b) => a + b, 0);
}

/** User + system CPU time of a process, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function readCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

type PhaseResult = LoadResult & { engineCpuMsPerInstance: number };

function printTable(polling: PhaseResult | undefined, streaming: PhaseResult | undefined, paced: PhaseResult | undefined, memory: MemoryResult | undefined): void {
  const row = (name: string, r: PhaseResult) =>
    `| ${name.padEnd(15)} | ${String(r.instancesPerSecond).padStart(12)} | ${String(r.medianInstancesPerSecondWindow).padStart(14)} | ${String(r.latencyMs.p50).padStart(7)} | ${String(r.latencyMs.p99).padStart(7)} | ${String(r.errors).padStart(6)} | ${String(r.engineCpuMsPerInstance).padStart(13)} | ${String(r.clientCpuMsPerInstance).padStart(13)} |`;
  const lines = [
    '',
    '| workers         | instances/s  | median 1 s win | p50 ms  | p99 ms  | errors | engine CPU ms | client CPU ms |',
    '|-----------------|--------------|----------------|---------|---------|--------|---------------|---------------|',
    ...(polling ? [row('polling', polling)] : []),
    ...(streaming ? [row('streaming', streaming)] : []),
    ...(paced ? [row(`streaming ${paced.ratePerSecond}/s`, paced)] : []),
    '',
  ];
  if (memory) {
    lines.push(
      `Per instance waiting at a P14D timer (median slope over ${MEMORY_STEPS} steps of ${memory.stepInstances}):` +
        ` RSS after GC ${memory.waitingInstanceRssBytes} bytes, RSS without GC ${memory.waitingInstanceRssBytesWithoutGc} bytes,` +
        ` V8 heap ${memory.waitingInstanceHeapBytes} bytes, store ${memory.storeBytesPerWaitingInstance} bytes;` +
        ` averaged over all ${memory.steps.at(-1)!.waitingInstances} instances, RSS after GC ${memory.waitingInstanceRssBytesAveraged} bytes`,
      `RSS after GC by step: ${memory.steps.map((step) => `${step.waitingInstances}: ${mib(step.gc.rss)}`).join(', ')}`,
      '',
    );
  }
  process.stdout.write(lines.join('\n'));
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  // Two cores are shared with whatever else runs; a high load average means noisy figures.
  const loadAverageBefore = os.loadavg();
  log(`load average before: ${loadAverageBefore.map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
  const releaseQuota = options.cpuQuota === undefined ? undefined : applyCpuQuota(options.cpuQuota);
  if (options.cpuQuota !== undefined) log(`CPU quota: ${options.cpuQuota} of a core for the benchmark, the engine and the client together`);
  try {
    await run(options, loadAverageBefore);
  } finally {
    releaseQuota?.();
  }
}

async function run(options: BenchOptions, loadAverageBefore: number[]): Promise<void> {
  const speed = await measureMachineSpeed();
  log(describeMachineSpeed(speed));
  log(`engine benchmark: ${options.phases.join(', ')}; ${options.seconds} s per mode, ${options.inFlight} in flight (paced: ${options.rate}/s), ${options.waiting} waiting instances`);
  const polling = options.phases.includes('polling') ? await loadPhase('polling', options) : undefined;
  const streaming = options.phases.includes('streaming') ? await loadPhase('streaming', options) : undefined;
  const paced = options.phases.includes('paced') ? await loadPhase('streaming', options, options.rate) : undefined;
  const memory = options.phases.includes('waiting') ? await memoryPhase(options) : undefined;
  printTable(polling, streaming, paced, memory);
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpuModel: cpus[0]?.model, cpus: cpus.length, totalMemoryBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}`,
      node: process.version, loadAverageBefore, loadAverageAfter: os.loadavg(), speed,
    },
    settings: { cpuQuota: options.cpuQuota ?? null, seconds: options.seconds, inFlight: options.inFlight, pacedRatePerSecond: options.rate, process: 'start → three service tasks → end', profile: options.profile, phases: options.phases },
    polling,
    streaming,
    paced,
    waitingInstanceRssBytes: memory?.waitingInstanceRssBytes,
    memory,
  };
  mkdirSync(resultsDir, { recursive: true });
  // A run of some phases only is kept apart, so engine.json always holds a complete run.
  const file = path.join(resultsDir, options.phases.length === PHASES.length ? 'engine.json' : 'engine-partial.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`engine benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
