/**
 * FEEL as a decision evaluates it, through feelin: expressions (input expressions, output entries,
 * literal expressions) and unary tests (input entries). Values stay FEEL values (dates compare as
 * dates) until the result leaves the decision. Camunda's extra functions are there, and `now()` and
 * `today()` answer with the engine's time, as in Zeebe.
 */
import { date, dateAndTime, evaluate, SyntaxError, unaryTest } from 'feelin';
import { CAMUNDA_FUNCTIONS } from '../feel/camunda-functions.js';

export type FeelResult = { ok: true; value: unknown } | { ok: false; failure: string };

type Variables = Record<string, unknown>;

function contextOf(variables: Variables, now: number): Variables {
  const instant = new Date(now).toISOString();
  return { ...CAMUNDA_FUNCTIONS, now: () => dateAndTime(instant), today: () => date(instant.slice(0, 10)), ...variables };
}

/** feelin answers null with a warning where feel-scala fails; these warnings are such failures. */
function outcome(source: string, run: () => { value: unknown; warnings: { type: string; message: string }[] }): FeelResult {
  try {
    const { value, warnings } = run();
    const failing = warnings.find((w) => w.type === 'FUNCTION_INVOCATION_FAILURE' || w.type === 'INVALID_TYPE');
    if (failing && value === null) return { ok: false, failure: `failed to evaluate expression '${source}': ${failing.message}` };
    return { ok: true, value: value ?? null };
  } catch (error) {
    return { ok: false, failure: `failed to evaluate expression '${source}': ${(error as Error).message}` };
  }
}

export function evaluateExpression(source: string, variables: Variables, now: number): FeelResult {
  return outcome(source, () => evaluate(source, contextOf(variables, now)));
}

/** An input entry against the input's value; `-` and an empty entry match anything (DMN 1.3, 8.3.3). */
export function testInputEntry(source: string, input: unknown, variables: Variables, now: number): FeelResult {
  if (isAnyValue(source)) return { ok: true, value: true };
  return outcome(source, () => unaryTest(source, { ...contextOf(variables, now), '?': input }));
}

export function isAnyValue(unaryTests: string): boolean {
  const trimmed = unaryTests.trim();
  return trimmed === '' || trimmed === '-';
}

/** The syntax error of an expression or of unary tests, as dmn-scala words it at parsing; undefined when it parses. */
export function feelSyntaxError(source: string, kind: 'expression' | 'unary-tests'): string | undefined {
  if (kind === 'unary-tests' && isAnyValue(source)) return undefined;
  try {
    // Evaluating against no variables has no effects; feelin throws only on syntax errors.
    if (kind === 'expression') evaluate(source, { ...CAMUNDA_FUNCTIONS });
    else unaryTest(source, { ...CAMUNDA_FUNCTIONS, '?': null });
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return undefined;
    const label = kind === 'expression' ? 'FEEL expression' : 'FEEL unary-tests';
    return `${label}: failed to parse expression '${source}': ${error.message}`;
  }
}
