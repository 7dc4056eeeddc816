/**
 * Due dates of BPMN timers from ISO 8601 durations (`P14D`), dates (`2026-01-01T00:00:00Z`),
 * repeating cycles (`R3/PT10S`, `R/PT1H`, `R/2026-01-01T00:00:00Z/P1D`) and cron cycles
 * (`0 0 9-17 * * MON-FRI`), as Zeebe reads them.
 */
import type { TimerDefinition } from '../model/executable-model.js';
import { nextCronTime } from './cron-cycle.js';
import { evaluateString, type Evaluation, type VariableContext } from './feel-evaluator.js';

export interface TimerSchedule {
  dueDate: number;
  /** Remaining repetitions after this one; -1 repeats forever; 0 fires once. */
  repetitions: number;
  /** The interval for the next occurrence of a repeating interval cycle. */
  interval: string | undefined;
  /** The cron expression of a cron cycle, which gives its next occurrence instead of an interval. */
  cron?: string;
}

const DURATION = /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Adds an ISO 8601 duration to an instant; years and months move the calendar, as java.time does. */
export function addDuration(from: number, duration: string): number | undefined {
  const m = DURATION.exec(duration.trim());
  if (!m || duration.trim() === 'P' || duration.trim().endsWith('T')) return undefined;
  const sign = m[1] ? -1 : 1;
  const n = (i: number) => Number(m[i] ?? 0) * sign;
  const date = new Date(from);
  if (m[2] || m[3]) date.setUTCMonth(date.getUTCMonth() + n(2) * 12 + n(3));
  const millis = (((n(4) * 7 + n(5)) * 24 + n(6)) * 60 + n(7)) * 60_000 + n(8) * 1000;
  return date.getTime() + Math.round(millis);
}

function parseDate(text: string): number | undefined {
  // FEEL date-and-time strings may carry a zone id in brackets, e.g. 2026-01-01T10:00:00@Europe/Berlin.
  const value = Date.parse(text.replace(/@.*$/, '').replace(/\[.*\]$/, ''));
  return Number.isNaN(value) ? undefined : value;
}

export function durationSchedule(now: number, text: string): TimerSchedule | undefined {
  const dueDate = addDuration(now, text);
  return dueDate === undefined ? undefined : { dueDate, repetitions: 0, interval: undefined };
}

export function dateSchedule(text: string): TimerSchedule | undefined {
  const dueDate = parseDate(text);
  return dueDate === undefined ? undefined : { dueDate, repetitions: 0, interval: undefined };
}

export function cycleSchedule(now: number, text: string): TimerSchedule | undefined {
  const parts = text.trim().split('/');
  const repeat = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!repeat || parts.length < 2) return undefined;
  const total = repeat[1] === '' ? -1 : Number(repeat[1]);
  const interval = parts[parts.length - 1]!;
  const start = parts.length === 3 ? parseDate(parts[1]!) : undefined;
  const first = start !== undefined ? Math.max(start, now) : addDuration(now, interval);
  if (first === undefined || addDuration(0, interval) === undefined) return undefined;
  return { dueDate: first, repetitions: total === -1 ? -1 : Math.max(total - 1, 0), interval };
}

/**
 * A cron cycle repeats until its expression matches no more instants; one that matches none is due
 * at once and fires once, as Zeebe's CronTimer has it.
 */
function cronSchedule(now: number, text: string): Evaluation<TimerSchedule> {
  const next = nextCronTime(text, now);
  if (!next.ok) return next;
  const value = next.value === undefined ? { dueDate: now, repetitions: 0 } : { dueDate: next.value, repetitions: -1 };
  return { ok: true, value: { ...value, interval: undefined, cron: text } };
}

/**
 * The next occurrence of a cycle after the one due at `schedule.dueDate` fired at `now`, or
 * undefined when it has no more. An interval counts from the due date, unless that occurrence has
 * passed already (a clock jump, the engine down for hours): then, as Zeebe's
 * RepeatingInterval.nextOccurrenceAfter does, the missed ones are not made up and the next is a
 * full interval after `now`. A cron expression counts from `now`, as Zeebe reschedules a CronTimer.
 */
export function nextOccurrence(schedule: TimerSchedule, now: number): TimerSchedule | undefined {
  if (schedule.repetitions === 0) return undefined;
  if (schedule.cron !== undefined) {
    const next = cronSchedule(now, schedule.cron);
    return next.ok ? next.value : undefined;
  }
  if (!schedule.interval) return undefined;
  const natural = addDuration(schedule.dueDate, schedule.interval);
  const dueDate = natural !== undefined && natural <= now ? addDuration(now, schedule.interval) : natural;
  if (dueDate === undefined) return undefined;
  return { dueDate, repetitions: schedule.repetitions === -1 ? -1 : schedule.repetitions - 1, interval: schedule.interval };
}

/**
 * The schedule of a timer event definition, its expression evaluated in the context; a failure
 * is worded as Zeebe words it (`Invalid duration format 'PT5X' for expression 'PT5X'.`).
 */
export function scheduleOf(timer: TimerDefinition, context: VariableContext, now: number): Evaluation<TimerSchedule> {
  const text = evaluateString(timer.expression, context);
  if (!text.ok) return text;
  // Zeebe reads a cycle that does not start with R as a cron expression.
  if (timer.kind === 'cycle' && !text.value.trim().startsWith('R')) return cronSchedule(now, text.value);
  const schedule = timer.kind === 'duration' ? durationSchedule(now, text.value)
    : timer.kind === 'date' ? dateSchedule(text.value)
      : cycleSchedule(now, text.value);
  if (schedule) return { ok: true, value: schedule };
  const format = timer.kind === 'duration' ? 'duration' : timer.kind === 'date' ? 'date-time' : 'cycle';
  return { ok: false, failure: `Invalid ${format} format '${text.value}' for expression '${timer.expression.source}'.` };
}
