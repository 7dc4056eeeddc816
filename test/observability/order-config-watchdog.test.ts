/** The Order service's watchdog and ops settings, read from the environment. */
import { describe, expect, it } from 'vitest';
import { loadOrderServiceConfig } from '../../services/order/order-config.js';

describe('Order service watchdog settings', () => {
  it('When nothing is set, then the watchdog looks every 60 s for orders still for 15 min, and no ops token opens /ops', () => {
    const config = loadOrderServiceConfig({});

    expect(config.stuckOrders).toEqual({ intervalMs: 60_000, thresholdMs: 900_000 });
    expect(config.opsTokens).toEqual({ opsToken: undefined, readToken: undefined });
  });

  it('When the interval, threshold and ops tokens are set, then they are used', () => {
    const config = loadOrderServiceConfig({ ORDER_STUCK_CHECK_INTERVAL_MS: '5000', ORDER_STUCK_THRESHOLD_MS: '120000', ORDERFLOW_OPS_TOKEN: 'ops-secret', ORDERFLOW_OPS_READ_TOKEN: 'read-secret' });

    expect(config.stuckOrders).toEqual({ intervalMs: 5_000, thresholdMs: 120_000 });
    expect(config.opsTokens).toEqual({ opsToken: 'ops-secret', readToken: 'read-secret' });
  });

  it('When the threshold is not a positive number, then loading fails naming the variable', () => {
    expect(() => loadOrderServiceConfig({ ORDER_STUCK_THRESHOLD_MS: '-1' })).toThrow(/ORDER_STUCK_THRESHOLD_MS/);
  });

  it('When ORDERFLOW_OPS_TOKEN and ORDERFLOW_OPS_READ_TOKEN are empty, then they count as unset', () => {
    expect(loadOrderServiceConfig({ ORDERFLOW_OPS_TOKEN: '', ORDERFLOW_OPS_READ_TOKEN: '' }).opsTokens).toEqual({ opsToken: undefined, readToken: undefined });
  });
});
