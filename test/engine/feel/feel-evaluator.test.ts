/**
 * The evaluator answers a bare variable name without parsing it; every answer must be the one
 * feelin itself gives, so the shortcut is checked against feelin for each kind of value.
 */
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { evaluateAny, evaluateCorrelationKey, toJson } from '../../../infra/engine/feel/feel-evaluator.js';

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
});
