import { OrderflowError } from '../../lib/errors.js';

/** Base of the errors thrown by the system harness; `code` is stable, `context` names what was involved. */
export class SystemHarnessError extends OrderflowError {}

/** Thrown when a process of the system does not become ready in time, or exits while starting. */
export class ProcessNotReadyError extends SystemHarnessError {
  constructor(processName: string, logFile: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    // The cause already reads "Expected the <name> process to become ready, but …".
    super('PROCESS_NOT_READY', `${reason} (log: ${logFile})`, { processName, logFile }, { cause });
  }
}

/** Thrown when a handle names a process the harness does not run or has not started. */
export class UnknownProcessError extends SystemHarnessError {
  constructor(processName: string, known: readonly string[]) {
    super('UNKNOWN_PROCESS', `Expected one of ${known.join(', ')}, but got ${processName}`, { processName });
  }
}

/** Thrown when the broker's command-line tool fails to create or delete the run's virtual host. */
export class BrokerIsolationError extends SystemHarnessError {
  constructor(action: string, vhost: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('BROKER_ISOLATION_FAILED', `Expected rabbitmqctl to ${action} virtual host ${vhost}, but it failed: ${reason}`, { vhost, action }, { cause });
  }
}
