/**
 * SIGKILL to one of the system's processes, as a crash or the OOM killer would end it, then a start
 * on the same data. Orders keep coming while it is down, except for the Order service, which takes
 * the orders and so comes back at once.
 */
import { SystemProcess, type SystemProcessName } from '../../../scripts/system/index.js';
import type { Fault, FaultContext } from './fault.js';

export function killProcess(name: SystemProcessName): Fault {
  let kills = 0;
  const restart = async ({ system }: FaultContext) => {
    if (!system.isRunning(name)) await system.startProcess(name);
  };
  return {
    injected: () => kills,
    async start(context) {
      await context.system.kill(name);
      kills += 1;
      if (name === SystemProcess.ORDER) await restart(context);
    },
    end: restart,
  };
}
