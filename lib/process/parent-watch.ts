/**
 * Processes that `npm start` and the system harness spawn run in process groups of their own, so a
 * terminal's signal reaches only their parent, which stops them in order. If that parent dies
 * without stopping them (SIGKILL, a crash), nothing else would: they are spawned with an IPC
 * channel, and its closing is the sign to stop.
 */

/** Calls `stop('SIGHUP')` once the IPC channel to the parent closes; does nothing without one. */
export function stopWhenParentExits(stop: (signal: NodeJS.Signals) => void): void {
  if (!process.channel) return;
  // The channel alone must not keep the process alive.
  process.channel.unref();
  process.once('disconnect', () => stop('SIGHUP'));
}
