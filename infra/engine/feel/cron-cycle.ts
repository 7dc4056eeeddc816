/**
 * Timer cycles written as Spring cron expressions (`0 0 9-17 * * MON-FRI`, `@daily`), as Zeebe's
 * CronTimer reads them (cron-utils' SPRING53 definition): six fields from seconds to day of week,
 * day of month and day of week both holding (`0 0 0 13 * FRI` is Friday the 13th), `?`, `L`, `W`,
 * `#`, names of days and months. croner computes the times, in UTC, as the Camunda 8 docs describe
 * ("Timer events" → "Time cycle"); the words of a refusal are cron-utils' where they can be told.
 */
import { Cron } from 'croner';
import type { Evaluation } from './feel-evaluator.js';

/** Spring's macros, each one six-field expression. */
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

/** The values each field takes, seconds first, which cron-utils names when a number is outside them. */
const FIELD_RANGES = [[0, 59], [0, 59], [0, 23], [1, 31], [1, 12], [0, 7]] as const;
const NUMBERS = /^(\d+)(?:-(\d+))?(?:\/\d+)?$/;

/** Spring's `L-n`, n days before the month's last: croner's `L` moved back by its `dayOffset`. */
const DAYS_BEFORE_LAST = /^L-(\d+)$/;

function outOfRange(fields: string[]): string | undefined {
  for (const [index, [min, max]] of FIELD_RANGES.entries()) {
    for (const item of fields[index]!.split(',')) {
      const value = NUMBERS.exec(item)?.slice(1).filter((n) => n !== undefined).map(Number).find((n) => n < min || n > max);
      if (value !== undefined) return `Value ${value} not in range [${min}, ${max}]`;
    }
  }
  return undefined;
}

function parse(fields: string[]): Evaluation<Cron> {
  const range = outOfRange(fields);
  if (range) return { ok: false, failure: `Failed to parse cron expression. ${range}` };
  const daysBeforeLast = DAYS_BEFORE_LAST.exec(fields[3]!);
  const pattern = daysBeforeLast ? [...fields.slice(0, 3), 'L', ...fields.slice(4)] : fields;
  // `L-n` moves whole days, so it holds only where the day of week does not narrow them.
  if (daysBeforeLast && !['*', '?'].includes(fields[5]!)) {
    return { ok: false, failure: `Failed to parse cron expression. '${fields[3]}' with a day of week is not supported by the embedded engine` };
  }
  try {
    const cron = new Cron(pattern.join(' '), { mode: '6-part', domAndDow: true, sloppyRanges: true, timezone: 'UTC', dayOffset: -Number(daysBeforeLast?.[1] ?? 0) });
    return { ok: true, value: cron };
  } catch (error) {
    return { ok: false, failure: `Failed to parse cron expression. ${(error as Error).message.replace(/^CronPattern: /, '')}` };
  }
}

/**
 * The first instant after `after` that the cron expression matches, or undefined when it matches
 * none (`0 0 0 30 2 *`); fails with cron-utils' words (`Cron expression contains 5 parts but we
 * expect one of [6]`) for an expression Zeebe refuses.
 */
export function nextCronTime(text: string, after: number): Evaluation<number | undefined> {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (collapsed === '') return { ok: false, failure: 'Empty expression!' };
  const fields = (MACROS[collapsed] ?? collapsed).split(' ');
  if (fields.length !== 6) return { ok: false, failure: `Cron expression contains ${fields.length} parts but we expect one of [6]` };
  const cron = parse(fields);
  return cron.ok ? { ok: true, value: cron.value.nextRun(new Date(after))?.getTime() } : cron;
}
