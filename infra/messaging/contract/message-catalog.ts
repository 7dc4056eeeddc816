import { z } from 'zod';
import { commandPayloads, type CommandService, type CommandType } from './command-payloads.js';
import { eventPayloads, type EventType } from './event-payloads.js';
import { orderIdSchema } from './common-schemas.js';

export type MessageType = CommandType | EventType;
export type MessageKind = 'command' | 'event';

type PayloadOf<T extends MessageType> = T extends CommandType
  ? z.infer<(typeof commandPayloads)[T]['payload']>
  : T extends EventType
    ? z.infer<(typeof eventPayloads)[T]['payload']>
    : never;

/** The envelope every Orderflow message travels in; `payload` is specific to `type`. */
export interface Envelope<T extends MessageType = MessageType> {
  id: string;
  type: T;
  /** The orderId: what the message bridge correlates on and what logs are grouped by. */
  correlationId: string;
  /** The id of the message that caused this one, if any. */
  causationId?: string;
  occurredAt: string;
  payload: PayloadOf<T>;
}

/** A fully typed message of one type; a union over all types when T is left open. */
export type Message<T extends MessageType = MessageType> = T extends MessageType ? Envelope<T> : never;

function envelopeSchema(type: MessageType, payload: z.ZodObject): z.ZodType {
  return z
    .object({
      id: z.uuid(),
      type: z.literal(type),
      correlationId: orderIdSchema,
      causationId: z.uuid().optional(),
      occurredAt: z.iso.datetime(),
      payload,
    })
    .strict()
    .refine((message) => message.correlationId === (message.payload as { orderId?: unknown }).orderId, {
      message: 'Expected correlationId to equal payload.orderId',
      path: ['correlationId'],
    });
}

export interface MessageDefinition {
  type: MessageType;
  kind: MessageKind;
  description: string;
  /** For commands: the service whose queue receives it. */
  service?: CommandService;
  payloadSchema: z.ZodObject;
  schema: z.ZodType;
}

function buildCatalog(): ReadonlyMap<MessageType, MessageDefinition> {
  const catalog = new Map<MessageType, MessageDefinition>();
  for (const [type, def] of Object.entries(commandPayloads) as [CommandType, (typeof commandPayloads)[CommandType]][]) {
    catalog.set(type, { type, kind: 'command', description: def.description, service: def.service, payloadSchema: def.payload, schema: envelopeSchema(type, def.payload) });
  }
  for (const [type, def] of Object.entries(eventPayloads) as [EventType, (typeof eventPayloads)[EventType]][]) {
    catalog.set(type, { type, kind: 'event', description: def.description, payloadSchema: def.payload, schema: envelopeSchema(type, def.payload) });
  }
  return catalog;
}

/** Every message Orderflow sends, by type: the single source the AsyncAPI document is generated from. */
export const messageCatalog = buildCatalog();

export const commandTypes = Object.keys(commandPayloads) as CommandType[];
export const eventTypes = Object.keys(eventPayloads) as EventType[];
export const commandServices = [...new Set(Object.values(commandPayloads).map((def) => def.service))] as CommandService[];

export function isMessageType(type: unknown): type is MessageType {
  return typeof type === 'string' && messageCatalog.has(type as MessageType);
}

export function commandTypesOf(service: CommandService): CommandType[] {
  return commandTypes.filter((type) => commandPayloads[type].service === service);
}
