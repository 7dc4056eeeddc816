/**
 * The system the scenarios share: every process of Orderflow started once (clock-controlled engine)
 * with the probes and the HTTP client around it. Scenarios leave it whole; one that fails may not, so
 * the suite replaces the bench after a failed scenario rather than let the next inherit the damage.
 */
import { SystemUnderTest, type SystemOptions } from '../../scripts/system/index.js';
import { BrokerProbe } from './broker-probe.js';
import { EngineProbe } from './engine-probe.js';
import type { FaultSuiteConfig } from './fault-config.js';
import { SystemClient } from './system-client.js';

export class FaultBench {
  private constructor(
    readonly system: SystemUnderTest,
    readonly engine: EngineProbe,
    readonly broker: BrokerProbe,
    readonly client: SystemClient,
  ) {}

  static async start(config: FaultSuiteConfig, env: SystemOptions['env'] = {}): Promise<FaultBench> {
    const system = await SystemUnderTest.start({ clockControlled: true, logLevel: config.logLevel, env });
    return new FaultBench(system, new EngineProbe(system), new BrokerProbe(system.messaging.url), new SystemClient(system));
  }

  async close(): Promise<void> {
    await this.engine.close().catch(() => undefined);
    await this.system.teardown();
  }
}
