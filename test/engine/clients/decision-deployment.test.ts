/**
 * Deploying DMN through `@camunda8/sdk`'s gRPC client: the metadata Zeebe's DeployResourceResponse
 * carries for decisions, their versioning, and Zeebe's refusals of an invalid DMN file.
 */
import { readFileSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValueType } from '../../../infra/engine/core/records.js';
import { fixturePath, grpcCodeOf, grpcErrorOf, startRecordedEngine, type RecordedEngine, type ZeebeGrpcClient } from './client-test-support.js';

let engine: RecordedEngine;

beforeEach(async () => {
  engine = await startRecordedEngine();
});

afterEach(() => engine.close());

/** The entries of a DeployResourceResponse, as zeebe.proto declares them. */
interface Deployment {
  process?: { bpmnProcessId: string };
  decision?: { dmnDecisionId: string; dmnDecisionName: string; version: number; decisionKey: string; dmnDecisionRequirementsId: string; decisionRequirementsKey: string; tenantId: string };
  decisionRequirements?: { dmnDecisionRequirementsId: string; dmnDecisionRequirementsName: string; version: number; decisionRequirementsKey: string; resourceName: string; tenantId: string };
}

/** By content and name: with `decisionFilename` the SDK names the resource by its whole path. */
const dmn = (name: string) => ({ decision: readFileSync(fixturePath(`dmn/${name}`)), name });
const deploy = async (resources: Parameters<ZeebeGrpcClient['deployResources']>[0]) => (await engine.zeebe.deployResources(resources)) as unknown as { deployments: Deployment[] };
const deployDmn = (...names: string[]) => deploy(names.map(dmn));

const decisionsOf = (deployments: Deployment[]) => deployments.flatMap((d) => (d.decision ? [d.decision] : []));
const requirementsOf = (deployments: Deployment[]) => deployments.flatMap((d) => (d.decisionRequirements ? [d.decisionRequirements] : []));
const created = (valueType: string) => engine.records.filter((r) => r.valueType === valueType && r.intent === 'CREATED');

describe('deploying a DMN file', () => {
  it('When a DMN file is deployed, then the response lists each decision and the decision requirements graph at version 1', async () => {
    const { deployments } = await deployDmn('shipping.dmn');
    const [requirements] = requirementsOf(deployments);
    expect(requirements).toMatchObject({
      dmnDecisionRequirementsId: 'shipping', dmnDecisionRequirementsName: 'Shipping', version: 1, resourceName: 'shipping.dmn', tenantId: '<default>',
    });
    expect(decisionsOf(deployments).map(({ dmnDecisionId, dmnDecisionName, version, dmnDecisionRequirementsId, decisionRequirementsKey }) => ({ dmnDecisionId, dmnDecisionName, version, dmnDecisionRequirementsId, decisionRequirementsKey }))).toEqual([
      { dmnDecisionId: 'shippingOption', dmnDecisionName: 'Shipping option', version: 1, dmnDecisionRequirementsId: 'shipping', decisionRequirementsKey: requirements!.decisionRequirementsKey },
      { dmnDecisionId: 'weightClassDecision', dmnDecisionName: 'Weight class', version: 1, dmnDecisionRequirementsId: 'shipping', decisionRequirementsKey: requirements!.decisionRequirementsKey },
      { dmnDecisionId: 'zone', dmnDecisionName: 'Zone', version: 1, dmnDecisionRequirementsId: 'shipping', decisionRequirementsKey: requirements!.decisionRequirementsKey },
    ]);
  });

  it('When a DMN file is deployed, then DECISION_REQUIREMENTS CREATED and one DECISION CREATED per decision are written before DEPLOYMENT CREATED', async () => {
    const { deployments } = await deployDmn('shipping.dmn');
    const [requirements] = requirementsOf(deployments);
    expect(created(ValueType.DECISION_REQUIREMENTS).map((r) => r.value)).toMatchObject([{
      decisionRequirementsId: 'shipping', decisionRequirementsVersion: 1, resourceName: 'shipping.dmn', namespace: 'http://orderflow.example/dmn/shipping',
      decisionRequirementsKey: Number(requirements!.decisionRequirementsKey),
    }]);
    expect(created(ValueType.DECISION).map((r) => [r.value.decisionId, r.value.version, r.value.versionTag])).toEqual([
      ['shippingOption', 1, 'v1'], ['weightClassDecision', 1, ''], ['zone', 1, ''],
    ]);
    const kinds = engine.records.filter((r) => r.recordType === 'EVENT').map((r) => r.valueType);
    expect(kinds.indexOf(ValueType.DEPLOYMENT)).toBeGreaterThan(kinds.lastIndexOf(ValueType.DECISION));
  });

  it('When a changed DMN file is deployed, then the graph and each decision get the next version and new keys', async () => {
    const first = decisionsOf((await deployDmn('shipping.dmn')).deployments);
    const { deployments } = await deployDmn('shipping-next-day.dmn');
    expect(requirementsOf(deployments)[0]).toMatchObject({ dmnDecisionRequirementsId: 'shipping', version: 2 });
    const second = decisionsOf(deployments);
    expect(second.map((d) => d.version)).toEqual([2, 2, 2]);
    expect(second.map((d) => d.decisionKey)).not.toContain(first[0]!.decisionKey);
  });

  it('When an identical DMN file is deployed again, then it is a duplicate that keeps its versions and keys and writes no decisions', async () => {
    const first = await deployDmn('shipping.dmn');
    const again = await deployDmn('shipping.dmn');
    expect(decisionsOf(again.deployments)).toEqual(decisionsOf(first.deployments));
    expect(requirementsOf(again.deployments)).toEqual(requirementsOf(first.deployments));
    expect(created(ValueType.DECISION)).toHaveLength(3);
  });

  it('When one deployment holds a BPMN and a DMN file, then the response lists the process, then the decisions, then the graph', async () => {
    const { deployments } = await deploy([{ processFilename: fixturePath('one-task.bpmn') }, dmn('discount.dmn')]);
    expect(deployments.map((d) => (d.process ? 'process' : d.decision ? 'decision' : 'decisionRequirements'))).toEqual(['process', 'decision', 'decisionRequirements']);
  });
});

describe('refusal of invalid DMN', () => {
  it.each([
    { fixture: 'invalid-feel.dmn', reason: "'invalid-feel.dmn': FEEL unary-tests: failed to parse expression '[100..'" },
    { fixture: 'invalid-duplicate-decision-ids.dmn', reason: "'invalid-duplicate-decision-ids.dmn': Failed to parse DMN: cvc-id.2: There are multiple occurrences of ID value 'discount'." },
    { fixture: 'invalid-decision-without-id.dmn', reason: "'invalid-decision-without-id.dmn': Expected the decision 'Discount' to have an id, but it has none" },
    { fixture: 'invalid-unknown-required-decision.dmn', reason: "'invalid-unknown-required-decision.dmn': Expected the decision 'discount' to require decisions of the same DRG, but no decision 'rate' is defined in it" },
    { fixture: 'invalid-not-xml.dmn', reason: "'invalid-not-xml.dmn': Failed to parse DMN: unparsable content" },
  ])('When $fixture is deployed, then it is refused with INVALID_ARGUMENT in Zeebe\'s words', async ({ fixture, reason }) => {
    const error = await grpcErrorOf(deployDmn(fixture));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain(`Expected to deploy new resources, but encountered the following errors:\n${reason}`);
  });

  it('When two DMN files of one deployment define the same decision id, then the deployment is refused naming both files', async () => {
    const error = await grpcErrorOf(deployDmn('discount.dmn', 'discount-copy.dmn'));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe("Expected to deploy new resources, but encountered the following errors:\nExpected the decision ids to be unique within a deployment but found a duplicated id 'discount' in the resources 'discount.dmn' and 'discount-copy.dmn'.");
  });

  it('When a deployment holds a valid BPMN file and an invalid DMN file, then nothing of it is deployed', async () => {
    await grpcErrorOf(engine.zeebe.deployResources([{ processFilename: fixturePath('one-task.bpmn') }, dmn('invalid-feel.dmn')]));
    expect(await grpcCodeOf(engine.zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} }))).toBe(status.NOT_FOUND);
    expect(created(ValueType.DECISION_REQUIREMENTS)).toEqual([]);
  });
});
