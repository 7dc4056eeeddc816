/**
 * Messages: publication (buffered for its time to live, as Zeebe's PublishMessage) and
 * correlation (Camunda 8.8's `POST /v2/messages/correlation`: correlate now or answer 404).
 */
import express from 'express';
import { z } from 'zod';
import { DEFAULT_TENANT, ValueType, type EngineRecord } from '../core/records.js';
import { requireAtLeast } from '../gateway/request-validation.js';
import { int64Schema, parseBody, tenantSchema, variablesSchema, type RestContext } from './rest-context.js';
import { RestProblemError } from './rest-errors.js';

const publicationBody = z.strictObject({
  name: z.string().min(1),
  correlationKey: z.string().optional(),
  timeToLive: int64Schema.optional(),
  messageId: z.string().optional(),
  variables: variablesSchema.nullish(),
  tenantId: tenantSchema.optional(),
});
const correlationBody = publicationBody.pick({ name: true, correlationKey: true, variables: true, tenantId: true });

/**
 * The process instance a message published with time to live 0 correlated to, read from the
 * records of its command: a subscription's CORRELATED names the message key; a message start
 * event's CORRELATED (no message key when nothing is buffered) follows the PUBLISHED record.
 */
function correlatedInstance(records: EngineRecord[], messageKey: string, name: string, correlationKey: string): string | undefined {
  const published = records.findIndex((r) => r.valueType === ValueType.MESSAGE && r.intent === 'PUBLISHED' && String(r.key) === messageKey);
  if (published < 0) return undefined;
  for (const record of records.slice(published + 1)) {
    if (record.valueType === ValueType.MESSAGE && record.intent === 'PUBLISHED') return undefined;
    if (record.intent !== 'CORRELATED') continue;
    const value = record.value as { messageKey?: number; messageName?: string; correlationKey?: string; processInstanceKey?: number };
    if (record.valueType === ValueType.MESSAGE_SUBSCRIPTION && String(value.messageKey) === messageKey) return String(value.processInstanceKey);
    if (record.valueType === ValueType.MESSAGE_START_EVENT_SUBSCRIPTION && value.messageName === name && value.correlationKey === correlationKey) {
      return String(value.processInstanceKey);
    }
  }
  return undefined;
}

export function messageRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  router.post('/messages/publication', async (req, res) => {
    const body = parseBody(publicationBody, req.body);
    const { messageKey } = await ctx.engine.publishMessage({
      name: body.name,
      correlationKey: body.correlationKey ?? '',
      timeToLiveMs: requireAtLeast(body.timeToLive ?? 0, 0, 'timeToLive'),
      ...(body.messageId ? { messageId: body.messageId } : {}),
      variables: body.variables ?? {},
    });
    res.json({ messageKey, tenantId: DEFAULT_TENANT });
  });
  router.post('/messages/correlation', async (req, res) => {
    const body = parseBody(correlationBody, req.body);
    const correlationKey = body.correlationKey ?? '';
    const batches: EngineRecord[][] = [];
    // The engine hands out a batch's records before the command's answer is awaited here.
    const unsubscribe = ctx.engine.onRecords((records) => batches.push(records));
    let messageKey: string;
    try {
      ({ messageKey } = await ctx.engine.publishMessage({ name: body.name, correlationKey, timeToLiveMs: 0, variables: body.variables ?? {} }));
    } finally {
      unsubscribe();
    }
    const processInstanceKey = batches.map((records) => correlatedInstance(records, messageKey, body.name, correlationKey)).find((key) => key !== undefined);
    if (processInstanceKey === undefined) {
      throw new RestProblemError({
        status: 404,
        title: 'NOT_FOUND',
        detail: `Expected to find subscription for message with name '${body.name}' and correlation key '${correlationKey}', but none was found`,
      });
    }
    res.json({ messageKey, processInstanceKey, tenantId: DEFAULT_TENANT });
  });
  return router;
}
