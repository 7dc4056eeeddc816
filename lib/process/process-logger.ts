/**
 * The logger of a process's entry point: JSON lines on stdout, written as they are logged. Written
 * synchronously, nothing waits in a buffer: when the parent reading stdout is gone, the first write
 * fails with EPIPE and pino turns writing off, where a buffered stream's flush at exit would retry
 * that write forever and the process would never end.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export function processLogger(options: LoggerOptions): Logger {
  return pino(options, pino.destination({ fd: 1, sync: true }));
}
