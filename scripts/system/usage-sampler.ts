/**
 * Samples the CPU and memory of the system's processes at a fixed interval, so figures survive a
 * process's exit and restarts: a restarted process's CPU adds to its earlier incarnations', its peak
 * RSS is the highest any incarnation reached. Groups (PostgreSQL, RabbitMQ) are found by command name,
 * as their processes come and go. Scanning /proc and reading smaps cost tens of milliseconds, so the
 * background samples do it only every {@link FULL_SAMPLE_EVERY}th time; an explicit sample always does.
 * A group's CPU is cumulative per process, so a process found late loses none of its CPU.
 */
import { pidsByCommandName, readProcess, readProportionalSetSize } from './process-usage.js';

export interface UsageFigures {
  /** CPU seconds used since the process (or, for a group, each of its processes) started. */
  cpuSeconds: number;
  /** Memory now: VmRSS for a process; the sum of Pss for a group. */
  memoryBytes: number;
  /** The highest memory seen: VmHWM for a process; the highest summed Pss sampled for a group. */
  peakMemoryBytes: number;
  /** Pids last seen; empty when the process is not running. */
  pids: number[];
}

interface ProcessTarget {
  kind: 'process';
  pid: () => number | undefined;
  lastPid?: number;
  /** CPU of earlier incarnations. */
  earlierCpuSeconds: number;
  lastCpuSeconds: number;
  figures: UsageFigures;
}

interface GroupTarget {
  kind: 'group';
  commandNames: readonly string[];
  /** Pids found at the last full sample. */
  knownPids: number[];
  figures: UsageFigures;
}

const FULL_SAMPLE_EVERY = 10;

export class UsageSampler {
  private readonly targets = new Map<string, ProcessTarget | GroupTarget>();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private ticks = 0;

  constructor(private readonly intervalMs: number) {}

  /** Follows one process; `pid` is asked at every sample, so a restart under the same name is followed. */
  trackProcess(name: string, pid: () => number | undefined): void {
    this.targets.set(name, { kind: 'process', pid, earlierCpuSeconds: 0, lastCpuSeconds: 0, figures: emptyFigures() });
  }

  /** Follows every process with one of these command names, e.g. `postgres` or `beam.smp`. */
  trackGroup(name: string, commandNames: readonly string[]): void {
    this.targets.set(name, { kind: 'group', commandNames, knownPids: [], figures: emptyFigures() });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.ticks++;
      this.sampling ??= this.sampleAll(this.ticks % FULL_SAMPLE_EVERY === 0).finally(() => (this.sampling = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  /** Takes a full sample now (after one under way) and returns every target's figures. */
  async sample(): Promise<Record<string, UsageFigures>> {
    await this.sampling;
    this.sampling = this.sampleAll(true).finally(() => (this.sampling = undefined));
    await this.sampling;
    return this.figures();
  }

  /** The figures of the last sample, without sampling. */
  figures(): Record<string, UsageFigures> {
    return Object.fromEntries([...this.targets].map(([name, target]) => [name, { ...target.figures, pids: [...target.figures.pids] }]));
  }

  private async sampleAll(full: boolean): Promise<void> {
    await Promise.all([...this.targets.values()].map((target) => (target.kind === 'process' ? sampleProcess(target) : sampleGroup(target, full))));
  }
}

async function sampleProcess(target: ProcessTarget): Promise<void> {
  const pid = target.pid();
  const reading = pid === undefined ? undefined : await readProcess(pid);
  if (!reading) {
    target.figures = { ...target.figures, memoryBytes: 0, pids: [] };
    return;
  }
  if (target.lastPid !== undefined && target.lastPid !== reading.pid) {
    target.earlierCpuSeconds += target.lastCpuSeconds;
  }
  target.lastPid = reading.pid;
  target.lastCpuSeconds = reading.cpuSeconds;
  target.figures = {
    cpuSeconds: target.earlierCpuSeconds + reading.cpuSeconds,
    memoryBytes: reading.rssBytes,
    peakMemoryBytes: Math.max(target.figures.peakMemoryBytes, reading.peakRssBytes),
    pids: [reading.pid],
  };
}

async function sampleGroup(target: GroupTarget, full: boolean): Promise<void> {
  if (full) target.knownPids = await pidsByCommandName(target.commandNames);
  const readings = await Promise.all(
    target.knownPids.map(async (pid) => {
      const [reading, pss] = await Promise.all([readProcess(pid), full ? readProportionalSetSize(pid) : undefined]);
      return reading && { reading, memoryBytes: pss ?? reading.rssBytes };
    }),
  );
  const live = readings.filter((entry) => entry !== undefined);
  // A process's ended children have their CPU added to it when it reaps them, so the sum stays whole.
  const cpuSeconds = live.reduce((sum, { reading }) => sum + reading.cpuSeconds + reading.reapedChildrenCpuSeconds, 0);
  const memory = full ? live.reduce((sum, entry) => sum + entry.memoryBytes, 0) : target.figures.memoryBytes;
  target.figures = {
    // Between full samples a process that ended unseen would make the sum dip; the CPU it used is not lost.
    cpuSeconds: full ? cpuSeconds : Math.max(cpuSeconds, target.figures.cpuSeconds),
    memoryBytes: memory,
    peakMemoryBytes: Math.max(target.figures.peakMemoryBytes, memory),
    pids: live.map(({ reading }) => reading.pid),
  };
}

function emptyFigures(): UsageFigures {
  return { cpuSeconds: 0, memoryBytes: 0, peakMemoryBytes: 0, pids: [] };
}
