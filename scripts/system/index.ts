export * from './errors.js';
export * from './system-under-test.js';
export type * from './usage-sampler.js';
