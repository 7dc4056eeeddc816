import { pino, type Logger } from 'pino';

/** One JSON log line as pino wrote it. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface CapturedLog {
  logger: Logger;
  lines(): readonly LogLine[];
}

/** A pino logger at `debug` whose lines are kept in memory, parsed, for a test to read. */
export function captureLog(level = 'debug'): CapturedLog {
  const lines: LogLine[] = [];
  // pino writes each line synchronously to a plain object with write(); nothing is buffered.
  const logger = pino({ level }, { write: (chunk: string) => void lines.push(JSON.parse(chunk) as LogLine) });
  return { logger, lines: () => lines };
}
