/**
 * The fault suite's view of the engine: commands through the Zeebe gateway with `@camunda8/sdk`
 * (resolve an incident, set variables, take jobs), Zeebe's clock actuator over HTTP, and the open
 * incidents read from the engine's own store, since Zeebe's gateway protocol has no query for them.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { Camunda8 } from '@camunda8/sdk';
import { zeebeSettingsFromEnvironment } from '../../services/order/checkout-process/checkout-process-client.js';
import type { SystemUnderTest } from '../../scripts/system/index.js';
import type { ZeebeGrpcClient } from '../../workers/zeebe-client.js';

export interface OpenIncident {
  key: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
}

/** Thrown when the clock actuator refuses a request. */
export class ClockActuatorError extends Error {
  constructor(readonly status: number, body: string) {
    super(`Expected the clock actuator to accept the offset, but it answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'ClockActuatorError';
  }
}

export class EngineProbe {
  readonly zeebe: ZeebeGrpcClient;

  constructor(private readonly system: SystemUnderTest) {
    const settings = zeebeSettingsFromEnvironment({ ZEEBE_GRPC_ADDRESS: `grpc://${system.engineGrpcAddress}`, CAMUNDA_AUTH_STRATEGY: 'NONE' });
    this.zeebe = new Camunda8(settings as ConstructorParameters<typeof Camunda8>[0]).getZeebeGrpcApiClient();
  }

  /** `POST /actuator/clock/add`: moves the engine's clock forward; due timers and job deadlines then fire. */
  async addToClock(offsetMilli: number): Promise<void> {
    const response = await fetch(`${this.system.urls.engineManagement}/actuator/clock/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offsetMilli }),
    });
    if (!response.ok) throw new ClockActuatorError(response.status, await response.text());
  }

  /** Incidents the engine holds open now, read-only from its SQLite file (WAL lets a reader in beside the engine). */
  openIncidents(): OpenIncident[] {
    const db = new Database(path.join(this.system.engineDataDirectory, 'engine.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare<[], { key: number | bigint; record: string }>('SELECT key, record FROM incidents ORDER BY key').all();
      return rows.map((row) => {
        const value = JSON.parse(row.record) as { processInstanceKey: number; elementInstanceKey: number; elementId: string; errorType: string; errorMessage: string };
        return {
          key: String(row.key),
          processInstanceKey: String(value.processInstanceKey),
          elementInstanceKey: String(value.elementInstanceKey),
          elementId: value.elementId,
          errorType: value.errorType,
          errorMessage: value.errorMessage,
        };
      });
    } finally {
      db.close();
    }
  }

  async close(): Promise<void> {
    await this.zeebe.close();
  }
}
