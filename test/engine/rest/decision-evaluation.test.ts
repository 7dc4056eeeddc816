/**
 * DMN over REST: deployments list decisions as Camunda 8.8 does, and `POST /v2/decision-definitions/evaluation`
 * evaluates one, checked by the official typed client against Camunda 8.8's response schemas.
 */
import { DecisionDefinitionId } from '@camunda8/orchestration-cluster-api';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureFile, OPS_TOKEN, restAddress, restEngineForEachTest } from './rest-test-support.js';

const shipping = fileURLToPath(new URL('../fixtures/dmn/shipping.dmn', import.meta.url));
const rest = restEngineForEachTest();

describe('decisions over REST', () => {
  it('When a DMN file is deployed, then the deployment lists its decision definitions and its decision requirements', async () => {
    const { deployments } = await rest.client.createDeployment({ resources: [await fixtureFile(shipping)] });
    expect(deployments.map((d) => d.decisionDefinition?.decisionDefinitionId ?? d.decisionRequirements?.decisionRequirementsId)).toEqual([
      'shippingOption', 'weightClassDecision', 'zone', 'shipping',
    ]);
  });

  // Read without the typed client: its 8.8 schema wants a failed decision id even from a successful evaluation, which Camunda answers with null.
  it('When a decision definition is evaluated by id, then the answer carries its output, no failure and the decisions evaluated', async () => {
    await rest.client.createDeployment({ resources: [await fixtureFile(shipping)] });
    const response = await fetch(`${restAddress(rest.server)}/v2/decision-definitions/evaluation`, {
      method: 'POST', headers: { authorization: `Bearer ${OPS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decisionDefinitionId: 'shippingOption', variables: { country: 'DE', weight: 30 } }),
    });
    const result = (await response.json()) as { output: string; evaluatedDecisions: { decisionDefinitionId: string }[] };
    expect(result).toMatchObject({ decisionDefinitionId: 'shippingOption', decisionDefinitionVersion: 1, failedDecisionDefinitionId: null, failureMessage: null, tenantId: '<default>' });
    expect(JSON.parse(result.output)).toEqual({ carrier: 'DB Schenker', days: 4 });
    expect(result.evaluatedDecisions.map((d) => d.decisionDefinitionId)).toEqual(['weightClassDecision', 'zone', 'shippingOption']);
  });

  it('When an unknown decision definition is evaluated, then the answer is 404 with Zeebe\'s reason', async () => {
    const failure = await rest.client.evaluateDecision({ decisionDefinitionId: DecisionDefinitionId.assumeExists('unknown'), variables: {} }).then(() => undefined, (e: unknown) => e);
    expect(failure).toMatchObject({ status: 404, detail: "Command 'EVALUATE' rejected with code 'NOT_FOUND': Expected to evaluate decision 'unknown', but no decision found for id 'unknown'" });
  });
});
