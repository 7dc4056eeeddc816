export * from './database-config.js';
export * from './driver-adapter.js';
export * from './errors.js';
export * from './inbox.js';
export * from './migrate.js';
export * from './outbox.js';
export * from './outbox-relay.js';
export * from './service-databases.js';
export type * from './sql-client.js';
