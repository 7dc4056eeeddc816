/**
 * Deployed decisions over REST, as Camunda 8.8 serves them from secondary storage: decision
 * definitions and decision requirements searched, got by key and their DMN XML, checked by the
 * official typed client against Camunda 8.8's response schemas.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DecisionDefinitionId } from '@camunda8/orchestration-cluster-api';
import { describe, expect, it } from 'vitest';
import { eventually, fixtureFile, OPS_TOKEN, restCall, restEngineForEachTest, until } from './rest-test-support.js';

const dmnFixture = (name: string) => fileURLToPath(new URL(`../fixtures/dmn/${name}`, import.meta.url));
const shipping = dmnFixture('shipping.dmn');
const shippingNextDay = dmnFixture('shipping-next-day.dmn');
const discount = dmnFixture('discount.dmn');
const bearer = `Bearer ${OPS_TOKEN}`;

const rest = restEngineForEachTest();

async function deploy(...paths: string[]) {
  const { deployments } = await rest.client.createDeployment({ resources: await Promise.all(paths.map((p) => fixtureFile(p))) });
  return {
    decisions: deployments.flatMap((d) => (d.decisionDefinition ? [d.decisionDefinition] : [])),
    requirements: deployments.flatMap((d) => (d.decisionRequirements ? [d.decisionRequirements] : [])),
  };
}

describe('decision definitions', () => {
  it('When a DMN file is deployed, then each of its decisions is found by search with its requirements graph', async () => {
    const { decisions, requirements } = await deploy(shipping);
    const found = await rest.client.searchDecisionDefinitions(
      { filter: { decisionRequirementsId: 'shipping' }, sort: [{ field: 'decisionDefinitionId', order: 'ASC' }] },
      until((r) => r.items?.length === 3),
    );
    const decisionRequirementsKey = requirements[0]!.decisionRequirementsKey;
    expect(found.items).toEqual([
      { decisionDefinitionId: 'shippingOption', name: 'Shipping option' },
      { decisionDefinitionId: 'weightClassDecision', name: 'Weight class' },
      { decisionDefinitionId: 'zone', name: 'Zone' },
    ].map((d) => ({
      ...d, decisionDefinitionKey: decisions.find((deployed) => deployed.decisionDefinitionId === d.decisionDefinitionId)!.decisionDefinitionKey,
      version: 1, decisionRequirementsId: 'shipping', decisionRequirementsKey, tenantId: '<default>',
    })));
    expect(Number(found.page.totalItems)).toBe(3);
  });

  it('When a decision is deployed in a second version, then search filters and sorts by version and id as Camunda does', async () => {
    await deploy(shipping, discount);
    const { decisions } = await deploy(shippingNextDay);
    const latest = decisions.find((d) => d.decisionDefinitionId === 'shippingOption')!;
    const versions = await rest.client.searchDecisionDefinitions(
      { filter: { decisionDefinitionId: DecisionDefinitionId.assumeExists('shippingOption') }, sort: [{ field: 'version', order: 'DESC' }], page: { limit: 1 } },
      until((r) => Number(r.page.totalItems) === 2),
    );
    expect(versions.items?.map((d) => [d.decisionDefinitionKey, d.version])).toEqual([[latest.decisionDefinitionKey, 2]]);
    const named = await rest.client.searchDecisionDefinitions({ filter: { name: 'Discount', version: 1 } }, { consistency: eventually });
    expect(named.items?.map((d) => d.decisionDefinitionId)).toEqual(['discount']);
  });

  it('When a decision definition is got by key, then it is answered with its DMN file as XML', async () => {
    const { decisions } = await deploy(shipping);
    const decisionDefinitionKey = decisions.find((d) => d.decisionDefinitionId === 'zone')!.decisionDefinitionKey!;
    const byKey = await rest.client.getDecisionDefinition({ decisionDefinitionKey }, { consistency: eventually });
    expect(byKey).toMatchObject({ decisionDefinitionKey, decisionDefinitionId: 'zone', name: 'Zone', version: 1 });
    const response = await restCall(rest.server, `/v2/decision-definitions/${decisionDefinitionKey}/xml`, { method: 'GET', authorization: bearer });
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toBe(await readFile(shipping, 'utf8'));
  });
});

describe('decision requirements', () => {
  it('When DMN files are deployed, then their decision requirements are found by search, by key and as XML', async () => {
    const { requirements } = await deploy(shipping, discount);
    const pricing = requirements.find((r) => r.decisionRequirementsId === 'pricing')!;
    const decisionRequirementsKey = pricing.decisionRequirementsKey!;
    const found = await rest.client.searchDecisionRequirements(
      { filter: { decisionRequirementsName: 'Pricing' } },
      until((r) => r.items?.length === 1),
    );
    expect(found.items).toEqual([{
      decisionRequirementsKey, decisionRequirementsId: 'pricing', decisionRequirementsName: 'Pricing',
      version: 1, resourceName: 'discount.dmn', tenantId: '<default>',
    }]);
    const byKey = await rest.client.getDecisionRequirements({ decisionRequirementsKey }, { consistency: eventually });
    expect(byKey.decisionRequirementsId).toBe('pricing');
    const xml = await rest.client.getDecisionRequirementsXml({ decisionRequirementsKey }, { consistency: eventually });
    expect(String(xml)).toBe(await readFile(discount, 'utf8'));
  });

  it('When a decision requirements graph is deleted, then neither it nor its decisions are found any more', async () => {
    const { decisions, requirements } = await deploy(shipping);
    const decisionRequirementsKey = requirements[0]!.decisionRequirementsKey!;
    await rest.client.getDecisionRequirements({ decisionRequirementsKey }, { consistency: eventually });
    await rest.server.engine.deleteResource(decisionRequirementsKey);

    const remaining = await rest.client.searchDecisionDefinitions({ filter: { decisionRequirementsKey } }, until((r) => Number(r.page.totalItems) === 0));
    expect(remaining.items).toEqual([]);
    const paths = [
      `/v2/decision-requirements/${decisionRequirementsKey}`, `/v2/decision-requirements/${decisionRequirementsKey}/xml`,
      `/v2/decision-definitions/${decisions[0]!.decisionDefinitionKey}`, `/v2/decision-definitions/${decisions[0]!.decisionDefinitionKey}/xml`,
    ];
    for (const path of paths) {
      const response = await restCall(rest.server, path, { method: 'GET', authorization: bearer });
      expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 404, expect.stringMatching(/^application\/problem\+json/)]);
    }
  });

  it('When an unknown key is asked for, then the answer is 404 problem+json naming the resource', async () => {
    const response = await restCall(rest.server, '/v2/decision-definitions/2251799813685999/xml', { method: 'GET', authorization: bearer });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      title: 'NOT_FOUND', status: 404, detail: "Expected to find decision definition with key '2251799813685999', but none was found",
    });
  });
});
