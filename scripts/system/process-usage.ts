/**
 * What the kernel says a process has used: CPU seconds from `/proc/<pid>/stat`, resident memory from
 * `/proc/<pid>/status` (VmRSS now, VmHWM at its peak) and its proportional share of shared pages from
 * `/proc/<pid>/smaps_rollup` (Pss), which is what adds up correctly across PostgreSQL's processes.
 * See proc(5).
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessReading {
  pid: number;
  /** User plus system time of the process itself. */
  cpuSeconds: number;
  /** User plus system time of its children that it has waited for (PostgreSQL backends that ended). */
  reapedChildrenCpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
}

const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Resolves with undefined when the process is gone (or was never there). */
export async function readProcess(pid: number): Promise<ProcessReading | undefined> {
  try {
    const [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state) of proc(5): utime is field 14, stime 15, cutime 16, cstime 17.
    const ticks = (field: number) => Number(fields[field - 3]);
    return {
      pid,
      cpuSeconds: (ticks(14) + ticks(15)) / clockTicksPerSecond,
      reapedChildrenCpuSeconds: (ticks(16) + ticks(17)) / clockTicksPerSecond,
      rssBytes: statusKilobytes(status, 'VmRSS') * 1024,
      peakRssBytes: statusKilobytes(status, 'VmHWM') * 1024,
    };
  } catch {
    return undefined;
  }
}

/** Proportional set size in bytes; undefined when the process is gone or smaps are not readable. */
export async function readProportionalSetSize(pid: number): Promise<number | undefined> {
  try {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    return statusKilobytes(rollup, 'Pss') * 1024;
  } catch {
    return undefined;
  }
}

/** Pids whose command name (`/proc/<pid>/comm`) is one of `names`, e.g. every `postgres` process. */
export async function pidsByCommandName(names: readonly string[]): Promise<number[]> {
  const entries = await readdir('/proc');
  const pids = entries.filter((entry) => /^\d+$/.test(entry)).map(Number);
  const matches = await Promise.all(
    pids.map(async (pid) => {
      const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
      return names.includes(comm.trim()) ? pid : undefined;
    }),
  );
  return matches.filter((pid): pid is number => pid !== undefined);
}

function statusKilobytes(text: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}
