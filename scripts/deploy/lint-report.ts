/** The lint report: findings per file under a line with the file's error and warning counts, then a summary. */
import { Severity, type FileLintResult } from './bpmn-lint.js';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `file: elementId  rule  message`, grouped per file under a line with its error and warning counts. */
export function lintReportLines(results: FileLintResult[]): string[] {
  return results.flatMap((result) => [
    `${result.file}: ${count(result.errorCount, 'error')}, ${count(result.warningCount, 'warning')}`,
    ...result.findings.map((f) => `  ${result.file}: ${f.elementId ?? '-'}  ${f.rule}  ${f.message}${f.severity === Severity.WARNING ? ' (warning)' : ''}`),
  ]);
}

export function lintSummaryLine(results: FileLintResult[]): string {
  const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
  const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
  const failing = results.filter((r) => r.errorCount > 0).length;
  return `Lint: ${count(errors, 'error')}, ${count(warnings, 'warning')} in ${count(results.length, 'file')}${failing ? ` (${count(failing, 'file')} with errors)` : ''}`;
}
