import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault-injection suite, apart from `vitest run` because it starts the
 * whole system as processes and disturbs the shared broker and database. One file at a time; each
 * scenario is one long test. `ORDERFLOW_FAULTS_LONG=true` runs the long variant.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.suite.ts'],
    exclude: ['node_modules/**', '.data/**'],
    fileParallelism: false,
    maxConcurrency: 1,
    testTimeout: 20 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: 'forks',
  },
});
