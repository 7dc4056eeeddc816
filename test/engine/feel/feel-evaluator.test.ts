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
    // The examples of the Camunda 8 FEEL reference.
    { expression: 'duplicate values([1,2,3,2,1])', value: [1, 2] },
    { expression: 'string join(["a","b","c"], ", ", "[", "]")', value: '[a, b, c]' },
    { expression: 'string join(["a","b","c"], ", ")', value: 'a, b, c' },
    { expression: 'string join(["a",null,"c"])', value: 'ac' },
    { expression: 'string join([])', value: '' },
    { expression: 'string join(["a", 1])', value: null },
    { expression: 'last day of month(date("2022-10-01"))', value: '2022-10-31' },
    { expression: 'last day of month(date and time("2022-10-16T12:00:00"))', value: '2022-10-31' },
    { expression: 'last day of month(date("2024-02-10"))', value: '2024-02-29' },
    { expression: 'decimal(1/3, 2)', value: 0.33 },
    { expression: 'decimal(1.5, 0)', value: 2 },
    { expression: 'decimal(2.5, 0, "half_up")', value: 3 },
    { expression: 'decimal(2.675, 2, "HALF_DOWN")', value: 2.67 },
    { expression: 'decimal(-1.5, 0, "up")', value: -2 },
    { expression: 'decimal(1.5, 0, "unnecessary")', value: null },
    { expression: 'get value({foo: 123}, "foo")', value: 123 },
    { expression: 'get value({x:1, y: {z:0}}, ["y", "z"])', value: 0 },
    { expression: 'get value({x: {y: {z:0}}}, ["x", "y"])', value: { z: 0 } },
    { expression: 'get value({a: {b: 3}}, ["b"])', value: null },
    { expression: 'context put({x:1}, "y", 2)', value: { x: 1, y: 2 } },
    { expression: 'context put({x:1, y: {z:0}}, ["y", "z"], 2)', value: { x: 1, y: { z: 2 } } },
    { expression: 'context put({x:1}, ["y", "z"], 2)', value: { x: 1, y: { z: 2 } } },
    { expression: 'put({x:1}, "y", 2)', value: { x: 1, y: 2 } },
    { expression: 'put all([{x:1, y: 0}, {y:2}])', value: { x: 1, y: 2 } },
    { expression: 'fromAi(orderId)', value: 'order-1' },
    { expression: 'fromAi(amount, "The amount to refund", "number")', value: 4200 },
    { expression: 'fromAi(value: orderId, options: {required: false})', value: 'order-1' },
  ])('When $expression is evaluated, then it is what Zeebe answers', ({ expression, value }) => {
    expect(evaluateAny(feel(expression), context)).toEqual({ ok: true, value });
  });

  it('When an assertion does not hold, then the evaluation fails with its cause', () => {
    const result = evaluateAny(feel('assert(amount, amount < 0, "amount must be negative")'), context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure).toContain('amount must be negative');
  });
});

describe("FEEL's range functions", () => {
  it.each([
    { expression: 'overlaps before([1..5], [4..10])', value: true },
    { expression: 'overlaps before([3..4], [1..2])', value: false },
    { expression: 'overlaps before([1..3], (3..5])', value: false },
    { expression: 'overlaps before([1..5), (3..8])', value: true },
    { expression: 'overlaps before([1..5), [5..10])', value: false },
    { expression: 'overlaps after([4..10], [1..5])', value: true },
    { expression: 'overlaps after([3..4], [1..2])', value: false },
    { expression: 'overlaps after([3..5], [1..3))', value: false },
    { expression: 'overlaps after((5..8], [1..5))', value: false },
    { expression: 'overlaps after([4..10], [1..5))', value: true },
    { expression: 'finishes(5, [1..5])', value: true },
    { expression: 'finishes(10, [1..7])', value: false },
    { expression: 'finishes([3..5], [1..5])', value: true },
    { expression: 'finishes((1..5], [1..5))', value: false },
    { expression: 'finishes([5..10], [1..10))', value: false },
    { expression: 'finished by([5..10], 10)', value: true },
    { expression: 'finished by([3..4], 2)', value: false },
    { expression: 'finished by([1..5], [3..5])', value: true },
    { expression: 'finished by((5..8], [1..5))', value: false },
    { expression: 'finished by([5..10], (1..10))', value: false },
    { expression: 'during(5, [1..10])', value: true },
    { expression: 'during(12, [1..10])', value: false },
    { expression: 'during(1, (1..10])', value: false },
    { expression: 'during([4..6], [1..10))', value: true },
    { expression: 'during((1..5], (1..10])', value: true },
    { expression: 'starts(1, [1..5])', value: true },
    { expression: 'starts(1, (1..8])', value: false },
    { expression: 'starts((1..5], [1..5])', value: false },
    { expression: 'starts([1..10], [1..5])', value: false },
    { expression: 'starts((1..5), (1..10))', value: true },
    { expression: 'started by([1..10], 1)', value: true },
    { expression: 'started by((1..10], 1)', value: false },
    { expression: 'started by([1..10], [1..5])', value: true },
    { expression: 'started by((1..10], [1..5))', value: false },
    { expression: 'started by([1..10], [1..10))', value: true },
    { expression: 'coincides(5, 5)', value: true },
    { expression: 'coincides(3, 4)', value: false },
    { expression: 'coincides([1..5], [1..5])', value: true },
    { expression: 'coincides((1..5], [1..5))', value: false },
    { expression: 'coincides([1..5], [2..6])', value: false },
    { expression: 'during(date("2020-02-01"), [date("2020-01-01")..date("2020-03-01")])', value: true },
  ])('When $expression is evaluated, then it is what the Camunda 8 FEEL reference answers', ({ expression, value }) => {
    expect(evaluateAny(feel(expression), context)).toEqual({ ok: true, value });
  });
});
