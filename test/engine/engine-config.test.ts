/** The engine's environment configuration: defaults that run embedded, and errors that name the variable. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineConfigError, readEngineConfig } from '../../infra/engine/config.js';

describe('engine configuration', () => {
  it('When nothing is set, then it runs on Zeebe ports with data under the project', () => {
    const config = readEngineConfig({});

    expect(config).toMatchObject({
      host: '127.0.0.1',
      grpcPort: 26500,
      managementPort: 9600,
      clockControlled: false,
      token: undefined,
      grpcCompression: 'identity',
      batchWindowMs: 2,
    });
    expect(config.dataDir).toBe(path.resolve(import.meta.dirname, '..', '..', '.data', 'engine'));
  });

  it('When variables are set, then they override the defaults', () => {
    const config = readEngineConfig({
      ORDERFLOW_ENGINE_DATA_DIR: '/tmp/orderflow-engine',
      ORDERFLOW_ENGINE_GRPC_PORT: '0',
      ORDERFLOW_ENGINE_MANAGEMENT_PORT: '19600',
      ZEEBE_CLOCK_CONTROLLED: 'true',
      ORDERFLOW_ENGINE_TOKEN: 'secret',
      ORDERFLOW_ENGINE_GRPC_COMPRESSION: 'gzip',
      ORDERFLOW_ENGINE_BATCH_WINDOW_MS: '5',
    });

    expect(config).toMatchObject({
      dataDir: '/tmp/orderflow-engine',
      grpcPort: 0,
      managementPort: 19600,
      clockControlled: true,
      token: 'secret',
      grpcCompression: 'gzip',
      batchWindowMs: 5,
    });
  });

  it.each([
    { variable: 'ORDERFLOW_ENGINE_GRPC_PORT', value: 'grpc' },
    { variable: 'ORDERFLOW_ENGINE_MANAGEMENT_PORT', value: '70000' },
    { variable: 'ZEEBE_CLOCK_CONTROLLED', value: 'sometimes' },
    { variable: 'ORDERFLOW_ENGINE_GRPC_COMPRESSION', value: 'brotli' },
    { variable: 'ORDERFLOW_ENGINE_BATCH_WINDOW_MS', value: '500' },
  ])('When $variable is $value, then the error names it and its value', ({ variable, value }) => {
    const read = () => readEngineConfig({ [variable]: value });

    expect(read).toThrow(EngineConfigError);
    expect(read).toThrow(`${variable}="${value}"`);
  });
});
