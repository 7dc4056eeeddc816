import { z } from 'zod';
import { commandServices, commandTypesOf, eventTypes, messageCatalog, type MessageType } from './message-catalog.js';
import { commandQueueName, topologyNames } from '../topology.js';

const amqpBindingVersion = '0.3.0';

function messageComponent(type: MessageType): Record<string, unknown> {
  const definition = messageCatalog.get(type)!;
  const { $schema: _dialect, ...payload } = z.toJSONSchema(definition.schema, {
    target: 'draft-7',
    unrepresentable: 'any',
    // zod adds its own regex next to `format: uuid` / `date-time`; the standard format says the same, readably.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format !== undefined) delete jsonSchema.pattern;
    },
  }) as Record<string, unknown>;
  return {
    name: type,
    title: type,
    summary: definition.description,
    contentType: 'application/json',
    correlationId: { description: 'The orderId', location: '$message.payload#/correlationId' },
    payload,
    bindings: { amqp: { messageType: type, bindingVersion: amqpBindingVersion } },
  };
}

const messageRef = (type: MessageType) => ({ $ref: `#/components/messages/${type}` });

function commandChannels(prefix: string): Record<string, unknown> {
  const names = topologyNames(prefix);
  return Object.fromEntries(
    commandServices.map((service) => {
      const queue = commandQueueName(names, service);
      const channel = {
        address: queue,
        title: `${service} commands`,
        description: `Commands for the ${service} service, routed by type through the direct exchange ${names.commandsExchange}. Poison and exhausted messages go to ${queue}.dead-letter.`,
        messages: Object.fromEntries(commandTypesOf(service).map((type) => [type, messageRef(type)])),
        bindings: { amqp: { is: 'queue', queue: { name: queue, durable: true, exclusive: false, autoDelete: false }, bindingVersion: amqpBindingVersion } },
      };
      return [`${service}.commands`, channel];
    }),
  );
}

function eventChannels(prefix: string): Record<string, unknown> {
  const { eventsExchange } = topologyNames(prefix);
  return Object.fromEntries(
    eventTypes.map((type) => [
      type,
      {
        address: type,
        title: type,
        description: `Routing key ${type} on the topic exchange ${eventsExchange}.`,
        messages: { [type]: messageRef(type) },
        bindings: { amqp: { is: 'routingKey', exchange: { name: eventsExchange, type: 'topic', durable: true, autoDelete: false }, bindingVersion: amqpBindingVersion } },
      },
    ]),
  );
}

function operations(): Record<string, unknown> {
  const entries = [...messageCatalog.values()].map((definition) => {
    const channel = definition.kind === 'command' ? `${definition.service}.commands` : definition.type;
    const operation = {
      // From the owning service's side: it receives its commands and sends its events.
      action: definition.kind === 'command' ? 'receive' : 'send',
      summary: definition.description,
      channel: { $ref: `#/channels/${channel}` },
      messages: [{ $ref: `#/channels/${channel}/messages/${definition.type}` }],
      // Persistent, and for commands mandatory: an unroutable command fails the publish instead of vanishing.
      bindings: { amqp: { deliveryMode: 2, mandatory: definition.kind === 'command', timestamp: true, ack: true, bindingVersion: amqpBindingVersion } },
    };
    return [`${operation.action}.${definition.type}`, operation];
  });
  return Object.fromEntries(entries);
}

/** The AsyncAPI 3.0 document for the message contract, generated from the zod schemas so the two never drift. */
export function buildAsyncApiDocument(prefix = 'orderflow'): Record<string, unknown> {
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Orderflow messages',
      version: '1.0.0',
      description:
        'Commands and events between Orderflow job workers and services. Generated from infra/messaging/contract by `npx tsx infra/messaging/generate-asyncapi.ts`; do not edit by hand. Every message is a JSON envelope {id, type, correlationId (the orderId), causationId?, occurredAt, payload}, persistent, published with confirms.',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: '127.0.0.1:5672', protocol: 'amqp', protocolVersion: '0.9.1', description: 'The local RabbitMQ (guest/guest)' } },
    channels: { ...commandChannels(prefix), ...eventChannels(prefix) },
    operations: operations(),
    components: { messages: Object.fromEntries([...messageCatalog.keys()].map((type) => [type, messageComponent(type)])) },
  };
}
