export * from './common-schemas.js';
export * from './command-payloads.js';
export * from './event-payloads.js';
export * from './message-catalog.js';
export * from './validate-message.js';
export { findCardNumber, passesLuhn } from './card-number-guard.js';
