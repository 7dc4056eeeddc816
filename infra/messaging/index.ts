export * from './contract/index.js';
export * from './errors.js';
export * from './messaging-config.js';
export * from './rabbit-connection.js';
export * from './topology.js';
export * from './publisher.js';
export * from './consumer.js';
export { DeadLetterCode, type DeadLetterReason } from './dead-letter.js';
export { Header } from './message-properties.js';
