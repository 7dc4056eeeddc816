/**
 * Progress on stderr: one line rewritten in place on a terminal, plain lines (at most one every few
 * seconds) when stderr is a file or a pipe, so logs of a CI run stay readable.
 */
export interface ProgressState {
  phase: string;
  placed: number;
  done: number;
  total: number;
  /** Seconds since the phase began. */
  elapsedSeconds: number;
}

const PLAIN_LINE_INTERVAL_MS = 5_000;
const BAR_WIDTH = 24;

export class ProgressLine {
  private lastPlainLineAt = 0;
  private readonly tty = process.stderr.isTTY === true;

  update(state: ProgressState): void {
    const line = describe(state);
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${line}`);
      return;
    }
    const now = Date.now();
    if (now - this.lastPlainLineAt < PLAIN_LINE_INTERVAL_MS && state.done < state.total) return;
    this.lastPlainLineAt = now;
    process.stderr.write(`${line}\n`);
  }

  /** Ends the in-place line, so what is printed next starts on a line of its own. */
  finish(): void {
    if (this.tty) process.stderr.write('\n');
  }

  note(text: string): void {
    process.stderr.write(this.tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}

function describe({ phase, placed, done, total, elapsedSeconds }: ProgressState): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 ? `${Math.ceil((total - done) / rate)} s` : '–';
  return `${phase} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] placed ${placed}/${total}, done ${done}/${total}, ${rate.toFixed(1)}/s, ETA ${eta}`;
}
