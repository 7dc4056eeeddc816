/**
 * The built-in functions Camunda adds to FEEL ("Camunda Extension" in the Camunda 8 FEEL
 * reference), which feelin does not have. Given to every evaluation as context entries, so a
 * model that uses them parses and evaluates as on Zeebe; null arguments answer null, as FEEL does.
 */
import { randomUUID } from 'node:crypto';

type FeelFunction = ((...args: never[]) => unknown) & { $args?: string[] };

/** Parameter names given explicitly: feelin binds named arguments by them, and `default` is no JS name. */
function named<F extends FeelFunction>(parameters: string[], fn: F): F {
  fn.$args = parameters;
  return fn;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Thrown by `assert` when its condition does not hold: the evaluation fails, as on Zeebe. */
export class FeelAssertionError extends Error {}

export const CAMUNDA_FUNCTIONS: Record<string, FeelFunction> = {
  'is defined': named(['value'], (value: unknown) => value !== null && value !== undefined),
  'get or else': named(['value', 'default'], (value: unknown, fallback: unknown) => value ?? fallback ?? null),
  assert: named(['value', 'condition', 'cause'], (value: unknown, condition: unknown, cause?: unknown) => {
    if (condition !== true) throw new FeelAssertionError(isString(cause) ? cause : 'The condition is not fulfilled');
    return value;
  }),
  'is empty': named(['list'], (list: unknown) => (Array.isArray(list) ? list.length === 0 : null)),
  trim: named(['string'], (string: unknown) => (isString(string) ? string.trim() : null)),
  'is blank': named(['string'], (string: unknown) => (isString(string) ? string.trim() === '' : null)),
  'to base64': named(['value'], (value: unknown) => (isString(value) ? Buffer.from(value).toString('base64') : null)),
  extract: named(['string', 'pattern'], (string: unknown, pattern: unknown) =>
    (isString(string) && isString(pattern) ? [...string.matchAll(new RegExp(pattern, 'g'))].map((m) => m[0]) : null)),
  'duplicate values': named(['list'], (list: unknown) =>
    (Array.isArray(list) ? [...new Set(list.filter((item, i) => list.indexOf(item) !== i))] : null)),
  partition: named(['list', 'size'], (list: unknown, size: unknown) => {
    if (!Array.isArray(list) || typeof size !== 'number' || size < 1) return null;
    return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
  }),
  uuid: named([], () => randomUUID()),
  'random number': named([], () => Math.random()),
};

/** Functions whose answer changes from call to call: their results are never remembered. */
export const VARYING_FUNCTIONS = ['uuid', 'random number'] as const;
