/**
 * Runs this process and every process it starts under a CPU quota (a cgroup of the `cpu`
 * controller), so a machine faster than the goals' reference machine can be slowed to its speed:
 * `--cpu-quota 0.8` gives all of them together 0.8 of a core's time, in 5 ms periods so a throttled
 * process waits at most a few milliseconds. Needs root and the cgroup v1 `cpu` controller, or
 * cgroup v2 with `cpu` enabled; anything else is refused with what is missing.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OrderflowError } from '../../lib/errors.js';

const PERIOD_MICROS = 5_000;
const CGROUP_ROOT = '/sys/fs/cgroup';

export class CpuQuotaError extends OrderflowError {}

interface Hierarchy {
  /** Where a child group is made. */
  parent: string;
  limit(group: string, quotaMicros: number): void;
  /** The file this process's pid is written to, to join a group. */
  membersFile: string;
}

function hierarchy(): Hierarchy {
  const v1 = path.join(CGROUP_ROOT, 'cpu');
  if (existsSync(path.join(v1, 'cpu.cfs_quota_us'))) {
    return {
      parent: v1,
      membersFile: 'cgroup.procs',
      limit: (group, quotaMicros) => {
        writeFileSync(path.join(group, 'cpu.cfs_period_us'), String(PERIOD_MICROS));
        writeFileSync(path.join(group, 'cpu.cfs_quota_us'), String(quotaMicros));
      },
    };
  }
  for (const root of [CGROUP_ROOT, path.join(CGROUP_ROOT, 'unified')]) {
    const controllers = path.join(root, 'cgroup.subtree_control');
    if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) {
      return {
        parent: root,
        membersFile: 'cgroup.procs',
        limit: (group, quotaMicros) => writeFileSync(path.join(group, 'cpu.max'), `${quotaMicros} ${PERIOD_MICROS}`),
      };
    }
  }
  throw new CpuQuotaError('CPU_QUOTA_UNAVAILABLE', `Expected the cgroup v1 cpu controller (${v1}) or cgroup v2 with cpu enabled, but neither is mounted here`);
}

/**
 * Moves this process into a new cgroup limited to `cores` of CPU time; the processes it starts
 * afterwards inherit it. Returns a release that moves it back and removes the group.
 * @throws CpuQuotaError when the quota cannot be set (not root, no cpu controller).
 */
export function applyCpuQuota(cores: number): () => void {
  if (!(cores > 0)) throw new CpuQuotaError('CPU_QUOTA_INVALID', `Expected a CPU quota above 0 cores, but got ${cores}`, { cores });
  const { parent, limit, membersFile } = hierarchy();
  const group = path.join(parent, `orderflow-bench-${process.pid}`);
  try {
    mkdirSync(group);
    limit(group, Math.round(cores * PERIOD_MICROS));
    writeFileSync(path.join(group, membersFile), String(process.pid));
  } catch (error) {
    throw new CpuQuotaError('CPU_QUOTA_UNAVAILABLE', `Expected to limit the benchmark to ${cores} cores in ${group}, but ${(error as Error).message} (root is needed)`, { cores, group }, { cause: error });
  }
  return () => {
    writeFileSync(path.join(parent, membersFile), String(process.pid));
    // A child still exiting keeps the group busy; an empty group left behind costs nothing.
    try {
      rmdirSync(group);
    } catch {}
  };
}
