/** `POST /v2/deployments`: BPMN and DMN files as multipart `resources` parts, like Camunda's. */
import express from 'express';
import multer from 'multer';
import { DEFAULT_TENANT } from '../core/records.js';
import type { RestContext } from './rest-context.js';
import { invalidArgument } from './rest-errors.js';

/** Larger than any process model we ship; a bound on what one request may hold in memory. */
const MAX_RESOURCE_BYTES = 4 * 1024 * 1024;

export function deploymentRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_RESOURCE_BYTES, files: 100 } });
  router.post('/deployments', upload.array('resources'), async (req, res) => {
    const files = (req.files ?? []) as Express.Multer.File[];
    if (files.length === 0) throw invalidArgument("Expected at least one file in the multipart field 'resources', but none was given");
    const tenantId = (req.body as { tenantId?: unknown } | undefined)?.tenantId;
    if (tenantId !== undefined && tenantId !== '' && tenantId !== DEFAULT_TENANT) {
      throw invalidArgument(`Expected tenantId '${DEFAULT_TENANT}' (multi-tenancy is disabled), but it was '${String(tenantId)}'`);
    }
    const result = await ctx.engine.deployResources(files.map((file) => ({ name: file.originalname, content: file.buffer })));
    res.json({
      deploymentKey: result.deploymentKey,
      tenantId: result.tenantId,
      deployments: [
        ...result.processes.map((process) => ({
          processDefinition: {
            processDefinitionId: process.bpmnProcessId,
            processDefinitionVersion: process.version,
            resourceName: process.resourceName,
            tenantId: process.tenantId,
            processDefinitionKey: process.processDefinitionKey,
          },
        })),
        ...result.decisions.map((decision) => ({
          decisionDefinition: {
            decisionDefinitionId: decision.decisionId, version: decision.version, name: decision.decisionName, tenantId: decision.tenantId,
            decisionRequirementsId: decision.decisionRequirementsId, decisionDefinitionKey: decision.decisionKey,
            decisionRequirementsKey: decision.decisionRequirementsKey,
          },
        })),
        ...result.decisionRequirements.map((requirements) => ({
          decisionRequirements: {
            decisionRequirementsId: requirements.decisionRequirementsId, version: requirements.version,
            decisionRequirementsName: requirements.decisionRequirementsName, tenantId: requirements.tenantId,
            resourceName: requirements.resourceName, decisionRequirementsKey: requirements.decisionRequirementsKey,
          },
        })),
      ],
    });
  });
  return router;
}
