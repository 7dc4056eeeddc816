/** The table the suite prints at the end: one row per scenario, in the order they ran. */
import type { InvariantResult } from './invariants.js';

export interface ScenarioRow {
  scenario: string;
  orders: number;
  faults: number;
  invariants: readonly InvariantResult[];
  /** From the system's start to the last invariant checked. */
  durationMs: number;
  /** From the fault's end until every order had finished. */
  settleMs: number | undefined;
  /** Set when the scenario could not run to its checks. */
  error?: string;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

export function formatResultsTable(rows: readonly ScenarioRow[]): string {
  const header = ['scenario', 'orders', 'faults', 'invariants held', 'settled after', 'time'];
  const lines = rows.map((row) => {
    const held = row.invariants.filter((result) => result.held).length;
    const heldText = row.error ? `error: ${row.error.slice(0, 60)}` : `${held}/${row.invariants.length}${held < row.invariants.length ? ` ✗ ${row.invariants.filter((result) => !result.held).map((result) => result.invariant).join(', ')}` : ' ✓'}`;
    return [row.scenario, String(row.orders), String(row.faults), heldText, seconds(row.settleMs), seconds(row.durationMs)];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [render(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}

/** Every invariant that did not hold, with what was found: printed under the table. */
export function formatViolations(rows: readonly ScenarioRow[]): string {
  return rows
    .flatMap((row) => row.invariants.filter((result) => !result.held).map((result) => `${row.scenario} — ${result.invariant}: ${result.detail}`))
    .join('\n');
}
