/**
 * Decisions over Camunda 8.8's REST API: `POST /v2/decision-definitions/evaluation` evaluates the
 * latest decision by id, or one by key, as the gRPC EvaluateDecision does, answered in the REST
 * API's names; decision definitions and decision requirements are searched, got and their DMN XML
 * served from the search projection.
 */
import express from 'express';
import { z } from 'zod';
import type { DecisionEvaluation } from '../engine-api.js';
import { decisionDefinitions, decisionRequirements } from '../search/search-resources.js';
import { addSearchAndGet, addXmlGet, parseBody, tenantSchema, variablesSchema, type RestContext } from './rest-context.js';

const evaluationBody = z.union([
  z.strictObject({ decisionDefinitionId: z.string().min(1), variables: variablesSchema.optional(), tenantId: tenantSchema.optional() }),
  z.strictObject({ decisionDefinitionKey: z.string().regex(/^\d+$/), variables: variablesSchema.optional(), tenantId: tenantSchema.optional() }),
]);

function toResult(evaluation: DecisionEvaluation) {
  return {
    decisionDefinitionId: evaluation.decisionId, decisionDefinitionName: evaluation.decisionName,
    decisionDefinitionVersion: evaluation.decisionVersion, decisionDefinitionKey: evaluation.decisionKey,
    decisionRequirementsId: evaluation.decisionRequirementsId, decisionRequirementsKey: evaluation.decisionRequirementsKey,
    // As Camunda's ResponseMapper: the record's empty strings become null for a successful evaluation.
    output: evaluation.decisionOutput, failedDecisionDefinitionId: evaluation.failedDecisionId || null, failureMessage: evaluation.failureMessage || null,
    tenantId: evaluation.tenantId, decisionEvaluationKey: evaluation.decisionEvaluationKey, decisionInstanceKey: evaluation.decisionEvaluationKey,
    evaluatedDecisions: evaluation.evaluatedDecisions.map((d) => ({
      decisionDefinitionId: d.decisionId, decisionDefinitionName: d.decisionName, decisionDefinitionVersion: d.decisionVersion,
      decisionDefinitionType: d.decisionType, decisionDefinitionKey: d.decisionKey, output: d.decisionOutput, tenantId: d.tenantId,
      matchedRules: d.matchedRules, evaluatedInputs: d.evaluatedInputs,
    })),
  };
}

export function decisionRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  router.post('/decision-definitions/evaluation', async (req, res) => {
    const body = parseBody(evaluationBody, req.body);
    const evaluation = await ctx.engine.evaluateDecision({
      ...('decisionDefinitionId' in body ? { decisionId: body.decisionDefinitionId } : { decisionKey: body.decisionDefinitionKey }),
      variables: body.variables ?? {},
    });
    res.json(toResult(evaluation));
  });
  addSearchAndGet(router, ctx, { path: 'decision-definitions', model: decisionDefinitions, keyName: 'decisionDefinitionKey' });
  // A decision's XML is the DMN file of its requirements graph, as in Camunda.
  addXmlGet(router, ctx, {
    path: 'decision-definitions', keyName: 'decisionDefinitionKey', noun: decisionDefinitions.noun,
    sql: 'SELECT dr.xml FROM decision_definitions dd JOIN decision_requirements dr ON dr.key = dd.decision_requirements_key WHERE dd.key = ? AND dd.deleted = 0',
  });
  addSearchAndGet(router, ctx, { path: 'decision-requirements', model: decisionRequirements, keyName: 'decisionRequirementsKey' });
  addXmlGet(router, ctx, {
    path: 'decision-requirements', keyName: 'decisionRequirementsKey', noun: decisionRequirements.noun,
    sql: 'SELECT xml FROM decision_requirements WHERE key = ? AND deleted = 0',
  });
  return router;
}
