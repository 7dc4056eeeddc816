/**
 * Where the time goes: each process's CPU over the measured window (the difference of two samples,
 * so start-up is left out), its peak memory, and each part's share of all the CPU used.
 */
import { availableParallelism } from 'node:os';
import type { UsageFigures } from '../../scripts/system/index.js';

export interface ProcessUsage {
  cpuSeconds: number;
  /** Share of the CPU all listed processes used in the window. */
  cpuShare: number;
  /** VmHWM for one process; the highest summed Pss for PostgreSQL and RabbitMQ (every process of theirs, shared with other users of the server). */
  peakRssBytes: number;
  /** Memory at the end of the window (VmRSS, or summed Pss for a group). */
  rssBytes: number;
  /** CPU milliseconds per order of the window. */
  cpuMsPerOrder: number;
}

/** The parts of the system the CPU is attributed to. */
export const Part = { ENGINE: 'engine', SERVICES: 'services', WORKERS: 'workers', BROKER: 'broker', DATABASE: 'database', BENCH: 'bench' } as const;
export type Part = (typeof Part)[keyof typeof Part];

const partOf: Record<string, Part> = {
  engine: Part.ENGINE,
  order: Part.SERVICES,
  payment: Part.SERVICES,
  inventory: Part.SERVICES,
  shipping: Part.SERVICES,
  workers: Part.WORKERS,
  rabbitmq: Part.BROKER,
  postgresql: Part.DATABASE,
  bench: Part.BENCH,
};

export interface UsageReport {
  windowSeconds: number;
  /** CPU seconds of all processes per second of wall time: 2 means both cores of a 2-core machine. */
  coresUsed: number;
  processes: Record<string, ProcessUsage>;
  parts: Record<Part, { cpuSeconds: number; cpuShare: number; cpuMsPerOrder: number }>;
  /** CPU milliseconds per order of everything but the benchmark. */
  systemCpuMsPerOrder: number;
  /**
   * Orders per second the machine's cores could carry if the system had them to itself and CPU were
   * all that limits it: cores × 1000 ÷ {@link systemCpuMsPerOrder}. A ceiling, not a measurement.
   */
  cpuBoundOrdersPerSecond: number;
}

/** The sampler calls the process hosting the harness `harness`; here it is the benchmark. */
function displayName(name: string): string {
  return name === 'harness' ? 'bench' : name;
}

export function usageReport(before: Record<string, UsageFigures>, after: Record<string, UsageFigures>, windowSeconds: number, orders: number): UsageReport {
  const perOrder = (seconds: number) => round((seconds * 1000) / Math.max(1, orders));
  const cpu = Object.fromEntries(Object.entries(after).map(([name, end]) => [displayName(name), Math.max(0, end.cpuSeconds - (before[name]?.cpuSeconds ?? 0))]));
  const total = Object.values(cpu).reduce((sum, seconds) => sum + seconds, 0) || 1;
  const processes = Object.fromEntries(
    Object.entries(after).map(([name, end]) => {
      const seconds = cpu[displayName(name)]!;
      return [displayName(name), { cpuSeconds: round(seconds), cpuShare: round(seconds / total, 3), peakRssBytes: end.peakMemoryBytes, rssBytes: end.memoryBytes, cpuMsPerOrder: perOrder(seconds) }];
    }),
  );
  const parts = Object.fromEntries(
    Object.values(Part).map((part) => {
      const seconds = Object.entries(cpu).filter(([name]) => partOf[name] === part).reduce((sum, [, s]) => sum + s, 0);
      return [part, { cpuSeconds: round(seconds), cpuShare: round(seconds / total, 3), cpuMsPerOrder: perOrder(seconds) }];
    }),
  ) as UsageReport['parts'];
  const systemCpuMsPerOrder = perOrder(total - (cpu.bench ?? 0));
  return {
    windowSeconds: round(windowSeconds),
    coresUsed: round(total / Math.max(windowSeconds, 0.001)),
    processes,
    parts,
    systemCpuMsPerOrder,
    cpuBoundOrdersPerSecond: round((availableParallelism() * 1000) / Math.max(systemCpuMsPerOrder, 0.001), 0),
  };
}

/** Lines of a small table for the console. */
export function usageTable(report: UsageReport): string[] {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const rows = Object.entries(report.processes).map(
    ([name, usage]) =>
      `  ${name.padEnd(11)} ${usage.cpuSeconds.toFixed(1).padStart(7)} s  ${(usage.cpuShare * 100).toFixed(1).padStart(5)} %  ${usage.cpuMsPerOrder.toFixed(1).padStart(8)} ms  ${mib(usage.peakRssBytes).padStart(9)}`,
  );
  const parts = Object.entries(report.parts).map(([part, usage]) => `${part} ${(usage.cpuShare * 100).toFixed(0)} %`);
  return [
    `  ${'process'.padEnd(11)} ${'CPU'.padStart(9)}  ${'share'.padStart(7)}  ${'per order'.padStart(11)}  ${'peak RSS'.padStart(9)}`,
    ...rows,
    `  CPU by part: ${parts.join(', ')}; ${report.coresUsed.toFixed(2)} cores busy on average over ${report.windowSeconds.toFixed(1)} s`,
    `  ${report.systemCpuMsPerOrder.toFixed(1)} ms of CPU per order without the benchmark: at most ~${report.cpuBoundOrdersPerSecond} orders/s on ${availableParallelism()} cores if CPU alone limits`,
  ];
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * CPU per second of each process while no order runs: pollers, timers, heartbeats. At a low order
 * rate this background work is a large part of the CPU per order.
 */
export async function measureIdle(sample: () => Promise<Record<string, UsageFigures>>, seconds: number): Promise<Record<string, number>> {
  if (seconds === 0) return {};
  const before = await sample();
  const startedAt = Date.now();
  // Idle is what is measured here: there is no event to wait for, only time to let pass.
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await sample();
  const elapsed = (Date.now() - startedAt) / 1000;
  return Object.fromEntries(Object.entries(after).map(([name, end]) => [displayName(name), round(Math.max(0, end.cpuSeconds - (before[name]?.cpuSeconds ?? 0)) / elapsed, 3)]));
}
