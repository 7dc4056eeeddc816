/**
 * The life of a service process (the four services, the ops page, the workers): start it, then stop
 * it cleanly on the first SIGINT or SIGTERM (later ones are ignored while it stops), or when the
 * parent that spawned it has gone. A
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

/**
 * Runs `start`, then waits for a stop request to close the service and exit (0 when it closed
 * cleanly). The request is taken from the first moment: asked to stop while still starting (a
 * dependency not answering yet), the process exits at once, having nothing to close that could lose
 * work (a message not acknowledged is redelivered, a job not completed times out).
 */
export function runServiceProcess({ displayName, start }: ServiceProcess): void {
  let running: { service: RunningService; logger: Logger } | undefined;
  let stopping = false;
  onStopRequest((signal) => {
    if (stopping) return;
    stopping = true;
    if (!running) process.exit(0);
    const { service, logger } = running;
    logger.info({ signal }, `${displayName} stopping`);
    service.close().then(
      () => {
        logger.info({ signal }, `${displayName} stopped`);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error, signal }, `${displayName} did not stop cleanly`);
        process.exit(1);
      },
    );
  });
  start().then(
    (started) => {
      running = started;
    },
    (error: unknown) => {
      process.stderr.write(`${displayName} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
