import { describe, expect, it } from 'vitest';
import { drgOf, parseDmnFixture } from './dmn-test-support.js';

describe('reading a DMN file', () => {
  it('When a DMN file is read, then each decision is known with its id, name, version tag, result name and required decisions', async () => {
    const drg = await drgOf('shipping.dmn');
    expect(drg).toMatchObject({ id: 'shipping', name: 'Shipping', namespace: 'http://orderflow.example/dmn/shipping' });
    expect(drg.decisions.map(({ id, name, versionTag, resultName, requiredDecisionIds }) => ({ id, name, versionTag, resultName, requiredDecisionIds }))).toEqual([
      { id: 'shippingOption', name: 'Shipping option', versionTag: 'v1', resultName: 'shippingOption', requiredDecisionIds: ['weightClassDecision', 'zone'] },
      { id: 'weightClassDecision', name: 'Weight class', versionTag: undefined, resultName: 'weightClass', requiredDecisionIds: [] },
      { id: 'zone', name: 'Zone', versionTag: undefined, resultName: 'zone', requiredDecisionIds: [] },
    ]);
  });

  it('When a table names no hit policy, then it is UNIQUE', async () => {
    const drg = await drgOf('hit-policies.dmn');
    expect(drg.decisions.find((d) => d.id === 'unique')!.logic).toMatchObject({ hitPolicy: 'UNIQUE' });
  });
});

describe('refusal of invalid DMN', () => {
  it.each([
    { fixture: 'invalid-not-xml.dmn', failure: /^Failed to parse DMN: unparsable content/ },
    { fixture: 'invalid-unknown-element.dmn', failure: /^Failed to parse DMN: .*unknown type <dmn:DecisionTabel>/ },
    { fixture: 'invalid-duplicate-decision-ids.dmn', failure: /^Failed to parse DMN: cvc-id\.2: There are multiple occurrences of ID value 'discount'\.$/ },
    { fixture: 'invalid-decision-without-id.dmn', failure: /^Expected the decision 'Discount' to have an id, but it has none$/ },
    { fixture: 'invalid-unknown-required-decision.dmn', failure: /^Expected the decision 'discount' to require decisions of the same DRG, but no decision 'rate' is defined in it$/ },
    { fixture: 'invalid-cyclic-requirements.dmn', failure: /^Invalid DMN model: Cyclic dependencies between decisions detected\.$/ },
    { fixture: 'invalid-compound-output-without-name.dmn', failure: /^no output name defined for `Days`$/ },
    { fixture: 'invalid-feel.dmn', failure: /^FEEL unary-tests: failed to parse expression '\[100\.\.'.*\nFEEL expression: failed to parse expression '0\.1 \*'/ },
  ])('When $fixture is read, then it is refused: $failure', async ({ fixture, failure }) => {
    const parsed = await parseDmnFixture(fixture);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.failure).toMatch(failure);
  });
});

describe('where a refusal points in the file', () => {
  it.each([
    { fixture: 'invalid-feel.dmn', elementIds: ['big-order', 'big-order'] },
    { fixture: 'invalid-compound-output-without-name.dmn', elementIds: ['shipping-days'] },
    { fixture: 'invalid-unknown-required-decision.dmn', elementIds: ['discount'] },
    { fixture: 'invalid-cyclic-requirements.dmn', elementIds: [undefined] },
    { fixture: 'invalid-not-xml.dmn', elementIds: [undefined] },
  ])('When $fixture is refused, then each line of the refusal names the element it is about: $elementIds', async ({ fixture, elementIds }) => {
    const parsed = await parseDmnFixture(fixture);
    if (parsed.ok) throw new Error(`Expected ${fixture} to be refused, but it parsed`);
    expect(parsed.problems.map((p) => p.elementId)).toEqual(elementIds);
    expect(parsed.problems.map((p) => p.message).join('\n')).toBe(parsed.failure);
  });
});
