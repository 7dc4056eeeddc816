/**
 * The evaluator answers a bare variable name without parsing it, and remembers the results of
 * expressions by their text and the values of the variables they name; every answer must be the
 * one feelin itself gives, so both shortcuts are checked against feelin.
 */
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { evaluateAny, evaluateCorrelationKey, toJson, withEvaluationTime } from '../../../infra/engine/feel/feel-evaluator.js';

const feel = (source: string) => ({ source, isFeel: true });
const context = {
  orderId: 'order-1',
  amount: 4200,
  ratio: 0.5,
  paid: false,
  nothing: null,
  items: [{ sku: 'SKU-MUG', quantity: 2 }],
  address: { city: 'Berlin', lines: ['Unter den Linden 1'] },
  order_total: 12,
};

describe('FEEL evaluation', () => {
  it.each(Object.keys(context))('When the expression is the variable %s, then the value is what feelin gives', (name) => {
    expect(evaluateAny(feel(name), context)).toEqual({ ok: true, value: toJson(evaluate(name, context).value) });
  });

  it('When a bare name is not in scope, then it is null, as feelin says', () => {
    expect(evaluateAny(feel('missing'), context)).toEqual({ ok: true, value: null });
  });

  it.each(['true', 'null', 'not'])('When a bare name is the FEEL word %s, then feelin decides what it means', (word) => {
    const shadowing = { ...context, [word]: 'shadow' };
    expect(evaluateAny(feel(word), shadowing)).toEqual({ ok: true, value: toJson(evaluate(word, shadowing).value) });
  });

  it('When the expression is more than a name, then feelin evaluates it', () => {
    expect(evaluateAny(feel('amount + 1'), context)).toEqual({ ok: true, value: 4201 });
    expect(evaluateAny(feel('address.city'), context)).toEqual({ ok: true, value: 'Berlin' });
    expect(evaluateAny(feel('if paid then "yes" else "no"'), context)).toEqual({ ok: true, value: 'no' });
  });

  it.each([
    'if paymentAttempts = null then 0 else paymentAttempts',
    '(if paymentAttempts = null then 0 else paymentAttempts) < (if maxCommandAttempts = null then 3 else maxCommandAttempts)',
    'sum(items.quantity) * amount',
    'count(items[quantity > 1]) + count(address.lines)',
    '{ id: orderId, city: address.city, order_total: order_total }',
    'get value({ a: amount }, "a")',
  ])('When the expression is %s, then the value is what feelin gives with every variable in scope', (source) => {
    const scope = { ...context, paymentAttempts: 2, maxCommandAttempts: 3, unrelated: { deep: [1, 2, 3] }, 'name with spaces': 1 };
    expect(evaluateAny(feel(source), scope)).toEqual({ ok: true, value: toJson(evaluate(source, scope).value) });
  });

  it('When a variable name has spaces and the expression uses it, then feelin still finds it', () => {
    expect(evaluateAny(feel('order total + 1'), { 'order total': 41 })).toEqual({ ok: true, value: 42 });
  });

  it('When a correlation key names a number variable, then it is its text; an object is refused with its type', () => {
    expect(evaluateCorrelationKey(feel('amount'), context)).toEqual({ ok: true, value: '4200' });
    expect(evaluateCorrelationKey(feel('address'), context)).toEqual({ ok: false, failure: "Expected result of the expression 'address' to be 'STRING', but was 'OBJECT'." });
  });

  it('When the same expression meets other values of its variables, then each answer is for its own values', () => {
    const source = '(if paymentAttempts = null then 0 else paymentAttempts) + 1';
    const answers = [null, 1, 2, null, 2].map((attempts) => evaluateAny(feel(source), { ...context, paymentAttempts: attempts }));
    expect(answers).toEqual([1, 2, 3, 1, 3].map((value) => ({ ok: true, value })));
    expect(evaluateAny(feel(source), context)).toEqual({ ok: true, value: 1 });
  });

  it('When an expression asks for now(), then every evaluation reads the engine clock of its own context', () => {
    const at = (iso: string) => withEvaluationTime({ ...context }, Date.parse(iso));
    expect(evaluateAny(feel('string(today())'), at('2026-01-01T10:00:00Z'))).toEqual({ ok: true, value: '2026-01-01' });
    expect(evaluateAny(feel('string(today())'), at('2026-01-15T10:00:00Z'))).toEqual({ ok: true, value: '2026-01-15' });
  });

  it('When an expression gives a context, then each caller gets its own copy to change', () => {
    const first = evaluateAny(feel('{ id: orderId, lines: address.lines }'), context);
    if (!first.ok) throw new Error(first.failure);
    (first.value as { id: string }).id = 'changed by the caller';
    expect(evaluateAny(feel('{ id: orderId, lines: address.lines }'), context)).toEqual({ ok: true, value: { id: 'order-1', lines: ['Unter den Linden 1'] } });
  });

  it('When an expression fails, then it fails the same way each time', () => {
    const failing = evaluateAny(feel('amount +'), context);
    expect(failing.ok).toBe(false);
    expect(evaluateAny(feel('amount +'), context)).toEqual(failing);
  });
});

describe("Camunda's FEEL extension functions", () => {
  it.each([
    { expression: 'is defined(orderId)', value: true },
    { expression: 'is defined(nothing)', value: false },
    { expression: 'is defined(missing.city)', value: false },
    { expression: 'get or else(nothing, "express")', value: 'express' },
    { expression: 'get or else(orderId, "none")', value: 'order-1' },
    { expression: 'get or else(value: missing, default: 0)', value: 0 },
    { expression: 'assert(amount, amount > 0)', value: 4200 },
    { expression: 'is empty([])', value: true },
    { expression: 'is empty(items)', value: false },
    { expression: 'trim("  Berlin ")', value: 'Berlin' },
    { expression: 'is blank(" ")', value: true },
    { expression: 'is blank(orderId)', value: false },
    { expression: 'to base64("order-1")', value: 'b3JkZXItMQ==' },
    { expression: 'extract("SKU-1 and SKU-22", "\\\\d+")', value: ['1', '22'] },
    { expression: 'duplicate values([1, 2, 2, 3, 3])', value: [2, 3] },
    { expression: 'partition([1, 2, 3], 2)', value: [[1, 2], [3]] },
    { expression: 'string length(uuid())', value: 36 },
    { expression: 'random number() < 1', value: true },
  ])('When $expression is evaluated, then it is what Zeebe answers', ({ expression, value }) => {
    expect(evaluateAny(feel(expression), context)).toEqual({ ok: true, value });
  });

  it('When an assertion does not hold, then the evaluation fails with its cause', () => {
    const result = evaluateAny(feel('assert(amount, amount < 0, "amount must be negative")'), context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure).toContain('amount must be negative');
  });
});
