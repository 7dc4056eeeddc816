/**
 * Evaluates the expressions of a model the way Zeebe does: `=`-prefixed text is FEEL (through
 * feelin) against the variables visible from the element's scope; anything else is a static value.
 * Failures are values, not exceptions: the caller turns them into incidents.
 */
import { date, dateAndTime, evaluate } from 'feelin';
import type { Expression } from '../model/executable-model.js';
import { CAMUNDA_FUNCTIONS, VARYING_FUNCTIONS } from './camunda-functions.js';
import { RANGE_FUNCTIONS } from './range-functions.js';

export type Evaluation<T> = { ok: true; value: T } | { ok: false; failure: string };

export type VariableContext = Record<string, unknown>;

/**
 * The instant FEEL's `now()` and `today()` answer with, carried on an evaluation context under a
 * non-enumerable symbol: invisible to variable names, JSON, spreads and Object.entries.
 */
const EVALUATION_TIME = Symbol('evaluationTime');

/** Marks a context with the engine's time, so `now()` follows the engine clock (as Zeebe's does). */
export function withEvaluationTime(context: VariableContext, epochMilli: number): VariableContext {
  return Object.defineProperty(context, EVALUATION_TIME, { value: epochMilli, enumerable: false });
}

export function evaluationTimeOf(context: VariableContext): number | undefined {
  return (context as { [EVALUATION_TIME]?: number })[EVALUATION_TIME];
}

/**
 * The variables whose names occur in an expression's text: FEEL names a variable only by writing
 * it, so the others cannot matter (and feelin prepares every name it is given for its parser).
 */
function variablesNamedIn(source: string, context: VariableContext): VariableContext {
  const narrowed: VariableContext = {};
  for (const name in context) if (source.includes(name)) narrowed[name] = context[name];
  return narrowed;
}

/** The built-in functions of Zeebe's FEEL that feelin lacks. */
const FUNCTIONS = { ...CAMUNDA_FUNCTIONS, ...RANGE_FUNCTIONS };

/** What feelin is given: the variables the expression can name, the functions feelin lacks, and `now()`/`today()` on the engine clock. */
function withFunctions(variables: VariableContext, context: VariableContext): VariableContext {
  const at = evaluationTimeOf(context);
  if (at === undefined) return { ...FUNCTIONS, ...variables };
  const instant = new Date(at).toISOString();
  return { ...FUNCTIONS, ...variables, now: () => dateAndTime(instant), today: () => date(instant.slice(0, 10)) };
}

/**
 * Results of expressions whose value depends only on the variables they name, keyed by the text
 * and those variables' values. A model evaluates the same few expressions over the same few values
 * (`=if serviceTimeout = null then "PT5M" else serviceTimeout`, attempt counters) for every
 * instance, and parsing dominates their cost. Only text without `now`/`today`, `uuid` or
 * `random number` (the functions whose answer changes without their arguments) and only scalar
 * results are kept, so a caller never shares a mutable value; the map is bounded, oldest entries
 * leaving first.
 */
const memo = new Map<string, Evaluation<unknown>>();
const MEMO_ENTRIES = 4_096;
const MEMO_KEY_CHARS = 2_048;
const varying = new RegExp(['now', 'today', ...VARYING_FUNCTIONS].join('|'));

function memoKey(source: string, variables: VariableContext): string | undefined {
  if (varying.test(source)) return undefined;
  const key = `${source}\u0000${JSON.stringify(variables)}`;
  return key.length <= MEMO_KEY_CHARS ? key : undefined;
}

function remember(key: string, result: Evaluation<unknown>): void {
  if (result.ok && typeof result.value === 'object' && result.value !== null) return;
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(key, result);
}

/** Names FEEL reads as something other than a variable. */
const feelKeywords = new Set(['null', 'true', 'false', 'not', 'if', 'then', 'else', 'for', 'in', 'return', 'some', 'every', 'satisfies', 'and', 'or', 'between', 'instance', 'of', 'function', 'external']);
const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NOT_PLAIN = Symbol('notPlain');

/**
 * The value of an expression that is only the name of a variable in scope (`=orderId`, every
 * correlation key of a typical model), without parsing it: feelin would return the variable as is.
 * Anything else, or a name not in scope, goes to feelin.
 */
function plainVariable(source: string, context: VariableContext): unknown {
  if (!plainName.test(source) || feelKeywords.has(source) || !Object.hasOwn(context, source)) return NOT_PLAIN;
  const value = context[source];
  return typeof value === 'function' ? NOT_PLAIN : value;
}

export function evaluateAny(expression: Expression, context: VariableContext): Evaluation<unknown> {
  if (!expression.isFeel) return { ok: true, value: expression.source };
  const plain = plainVariable(expression.source, context);
  if (plain !== NOT_PLAIN) return { ok: true, value: toJson(plain) };
  const variables = variablesNamedIn(expression.source, context);
  const key = memoKey(expression.source, variables);
  const known = key === undefined ? undefined : memo.get(key);
  if (known) return known;
  const result = evaluateWithFeelin(expression.source, withFunctions(variables, context));
  if (key !== undefined) remember(key, result);
  return result;
}

function evaluateWithFeelin(source: string, variables: VariableContext): Evaluation<unknown> {
  try {
    const { value, warnings } = evaluate(source, variables);
    const failing = warnings.find((w) => w.type === 'FUNCTION_INVOCATION_FAILURE' || w.type === 'INVALID_TYPE');
    if (failing && value === null) {
      return { ok: false, failure: `Expected to evaluate expression '${source}', but ${failing.message}` };
    }
    return { ok: true, value: toJson(value) };
  } catch (error) {
    return { ok: false, failure: `Expected to evaluate expression '${source}', but failed: ${(error as Error).message}` };
  }
}

/** FEEL temporal values and ranges become the strings Zeebe writes into variables. */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const iso = (value as { iso?: unknown }).iso;
    if (typeof iso === 'string') return iso;
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return (value as { toJSON(): unknown }).toJSON();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  if (typeof value === 'function') return null;
  return value;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'object') return 'OBJECT';
  return typeof value === 'number' ? 'NUMBER' : typeof value === 'boolean' ? 'BOOLEAN' : 'STRING';
}

function expect<T>(expression: Expression, context: VariableContext, expected: string, accept: (v: unknown) => T | undefined): Evaluation<T> {
  const result = evaluateAny(expression, context);
  if (!result.ok) return result;
  const accepted = accept(result.value);
  if (accepted === undefined) {
    return { ok: false, failure: `Expected result of the expression '${expression.source}' to be '${expected}', but was '${typeName(result.value)}'.` };
  }
  return { ok: true, value: accepted };
}

export const evaluateString = (e: Expression, c: VariableContext): Evaluation<string> =>
  expect(e, c, 'STRING', (v) => (typeof v === 'string' ? v : undefined));

/** Correlation keys may be strings or numbers; Zeebe converts numbers to their text. */
export const evaluateCorrelationKey = (e: Expression, c: VariableContext): Evaluation<string> =>
  expect(e, c, 'STRING', (v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined));

export const evaluateBoolean = (e: Expression, c: VariableContext): Evaluation<boolean> =>
  expect(e, c, 'BOOLEAN', (v) => (typeof v === 'boolean' ? v : undefined));

export const evaluateInteger = (e: Expression, c: VariableContext): Evaluation<number> =>
  expect(e, c, 'NUMBER', (v) => {
    const n = typeof v === 'string' && !e.isFeel ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : undefined;
  });

export const evaluateArray = (e: Expression, c: VariableContext): Evaluation<unknown[]> =>
  expect(e, c, 'ARRAY', (v) => (Array.isArray(v) ? v : undefined));
