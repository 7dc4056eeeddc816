/**
 * The built-in functions Camunda adds to FEEL ("Camunda Extension" in the Camunda 8 FEEL
 * reference), which feelin does not have, and the forms of standard ones Zeebe's FEEL engine
 * (feel-scala) has beyond feelin's (`string join` with prefix and suffix, `decimal` with a rounding
 * mode, `get value` and `context put` along a path). Given to every evaluation as context entries,
 * so a model that uses them parses and evaluates as on Zeebe; arguments of the wrong type answer
 * null, as FEEL does.
 */
import { randomUUID } from 'node:crypto';
import { FeelDate, FeelDateTime } from 'feelin';

type FeelFunction = ((...args: never[]) => unknown) & { $args?: string[] };

/** Parameter names given explicitly: feelin binds named arguments by them, and `default` is no JS name. */
function named<F extends FeelFunction>(parameters: string[], fn: F): F {
  fn.$args = parameters;
  return fn;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isContext = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));
/** An optional string argument: absent or null is the default, anything else but a string is invalid. */
const orDefault = (value: unknown, fallback: string): string | undefined => (value === undefined || value === null ? fallback : isString(value) ? value : undefined);

/** feel-scala's string join: null items are left out, any other item that is no string makes it null. */
function stringJoin(list: unknown, delimiter?: unknown, prefix?: unknown, suffix?: unknown): string | null {
  const [separator, start, end] = [orDefault(delimiter, ''), orDefault(prefix, ''), orDefault(suffix, '')];
  if (!Array.isArray(list) || separator === undefined || start === undefined || end === undefined) return null;
  if (!list.every((item) => item === null || isString(item))) return null;
  return start + list.filter(isString).join(separator) + end;
}

/** The value at a key or along a path of keys; null where an entry is missing. */
function valueAt(context: unknown, path: unknown): unknown {
  const keys = isString(path) ? [path] : path;
  if (!Array.isArray(keys) || keys.length === 0) return null;
  const value = keys.reduce<unknown>((at, key) => (isContext(at) && isString(key) && Object.hasOwn(at, key) ? at[key] : undefined), context);
  return value ?? null;
}

/** A copy of the context with the value put at the key or path, creating the contexts on the way. */
function putAt(context: unknown, path: unknown, value: unknown): Record<string, unknown> | null {
  const [key, ...rest] = isString(path) ? [path] : Array.isArray(path) ? path : [];
  if (!isContext(context) || !isString(key)) return null;
  if (rest.length === 0) return { ...context, [key]: value };
  const inner = putAt(isContext(context[key]) ? context[key] : {}, rest, value);
  return inner && { ...context, [key]: inner };
}

/** java.math.RoundingMode, by which `decimal` rounds a number scaled to whole units. */
const ROUNDING_MODES: Readonly<Record<string, (scaled: number) => number | null>> = {
  UP: (x) => Math.sign(x) * Math.ceil(Math.abs(x)),
  DOWN: (x) => Math.trunc(x),
  CEILING: (x) => Math.ceil(x),
  FLOOR: (x) => Math.floor(x),
  HALF_UP: (x) => Math.sign(x) * Math.floor(Math.abs(x) + 0.5),
  HALF_DOWN: (x) => Math.sign(x) * Math.ceil(Math.abs(x) - 0.5),
  HALF_EVEN: (x) => {
    const down = Math.floor(x);
    return x - down === 0.5 ? (down % 2 === 0 ? down : down + 1) : Math.round(x);
  },
  UNNECESSARY: (x) => (Number.isInteger(x) ? x : null),
};

function decimal(n: unknown, scale: unknown, mode: unknown = 'HALF_EVEN'): number | null {
  const round = isString(mode) ? ROUNDING_MODES[mode.toUpperCase()] : undefined;
  if (typeof n !== 'number' || typeof scale !== 'number' || !round) return null;
  // Scaled through 15 significant digits, so 2.675 at scale 2 is 267.5 (as the decimal FEEL read), not 267.49999…
  const rounded = round(Number((n * 10 ** scale).toPrecision(15)));
  return rounded === null ? null : rounded / 10 ** scale + 0;
}

function lastDayOfMonth(value: unknown): FeelDate | null {
  if (!(value instanceof FeelDate || value instanceof FeelDateTime)) return null;
  const last = value.value.with({ day: value.value.daysInMonth });
  return new FeelDate('toPlainDate' in last ? last.toPlainDate() : last);
}

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
    (Array.isArray(list) ? [...new Set(list)].filter((item) => list.indexOf(item) !== list.lastIndexOf(item)) : null)),
  partition: named(['list', 'size'], (list: unknown, size: unknown) => {
    if (!Array.isArray(list) || typeof size !== 'number' || size < 1) return null;
    return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
  }),
  uuid: named([], () => randomUUID()),
  'random number': named([], () => Math.random()),
  'string join': named(['list', 'delimiter', 'prefix', 'suffix'], stringJoin),
  decimal: named(['n', 'scale', 'mode'], decimal),
  'last day of month': named(['date'], lastDayOfMonth),
  'get value': named(['context', 'key', 'keys'], (context: unknown, key: unknown, keys: unknown) => valueAt(context, key ?? keys)),
  'context put': named(['context', 'key', 'value', 'keys'], (context: unknown, key: unknown, value: unknown, keys: unknown) => putAt(context, key ?? keys, value ?? null)),
  // Deprecated since context put() and context merge() replaced them, yet still evaluated.
  put: named(['context', 'key', 'value'], (context: unknown, key: unknown, value: unknown) => (isString(key) ? putAt(context, key, value ?? null) : null)),
  'put all': named(['contexts'], (contexts: unknown) => (Array.isArray(contexts) && contexts.every(isContext) ? Object.assign({}, ...contexts) as Record<string, unknown> : null)),
  // Tags a value as one an AI agent provides; the connector reads the tag, the engine passes the value on.
  fromAi: named(['value', 'description', 'type', 'schema', 'options'], (value: unknown) => value ?? null),
};

/** Functions whose answer changes from call to call: their results are never remembered. */
export const VARYING_FUNCTIONS = ['uuid', 'random number'] as const;
