/**
 * The life of a service process: start it, then stop it cleanly on the first SIGINT or SIGTERM
 * (later ones are ignored while it stops), or when the parent that spawned it has gone. A
 * start-up failure is one line on stderr and exit code 1, so `npm start` and container runtimes see
 * why without a stack trace.
 */
import type { Logger } from 'pino';
import { onStopRequest } from './stop-requests.js';

export interface RunningService {
  close(): Promise<void>;
}

export interface ServiceProcess {
  /** How the process names itself in its log lines and errors, e.g. "Order service". */
  displayName: string;
  /** Starts the service and returns it with the logger its stop messages go to. */
  start(): Promise<{ service: RunningService; logger: Logger }>;
}

/** Runs `start`, then waits for a signal to close the service and exit (0 when it closed cleanly). */
export function runServiceProcess({ displayName, start }: ServiceProcess): void {
  start().then(
    ({ service, logger }) => stopOnSignal(displayName, service, logger),
    (error: unknown) => {
      process.stderr.write(`${displayName} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

function stopOnSignal(displayName: string, service: RunningService, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${displayName} stopping`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, `${displayName} did not stop cleanly`);
        process.exit(1);
      },
    );
  };
  onStopRequest(stop);
}
