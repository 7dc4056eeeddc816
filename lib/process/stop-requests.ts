/**
 * What asks a process to stop: SIGINT, SIGTERM, or the end of the IPC channel to the parent that
 * spawned it. `npm start` and the system harness run their children in process groups of their own,
 * so a terminal's signal reaches only the parent, which stops them in order; should that parent die
 * without stopping them (SIGKILL, a crash), the closed channel is the only sign left.
 */

/**
 * Whether this process was spawned with a channel, read when the module loads: once the parent is
 * gone, `process.channel` is too, and a process that registers after that must still notice.
 */
const spawnedWithChannel = process.channel !== undefined;

/** How long a stop may take before the process ends itself: `npm start` gives its children as long. */
const STOP_GRACE_MS = 10_000;

/**
 * Calls `stop` with the signal for every request, `SIGHUP` for a parent gone; `stop` decides what a
 * repeated request means. Handlers stay for every signal, not once: a signal sent to the process
 * group and relayed by tsx arrives twice, and an unhandled second one would end the process mid-stop.
 * A parent that died while this process was still starting (before it registered) counts as well.
 * However `stop` fares, the process ends `graceMs` after the first request: with its parent gone,
 * nobody else would end a stop that waits on a sibling already gone (the engine, the broker).
 */
export function onStopRequest(stop: (signal: NodeJS.Signals) => void, graceMs = STOP_GRACE_MS): void {
  let deadline: NodeJS.Timeout | undefined;
  const request = (signal: NodeJS.Signals) => {
    deadline ??= setTimeout(() => {
      process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), pid: process.pid, signal, msg: `stop did not finish within ${graceMs} ms; exiting` })}\n`);
      process.exit(1);
    }, graceMs).unref();
    stop(signal);
  };
  process.on('SIGINT', () => request('SIGINT'));
  process.on('SIGTERM', () => request('SIGTERM'));
  if (!spawnedWithChannel) return;
  if (!process.connected) {
    setImmediate(() => request('SIGHUP'));
    return;
  }
  // The channel alone must not keep the process alive.
  process.channel?.unref();
  process.once('disconnect', () => request('SIGHUP'));
}
