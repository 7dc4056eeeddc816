/** Deployed decisions live in the engine's SQLite file: a restarted engine evaluates them and versions on. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedEngine } from '../../../infra/engine/embedded-engine.js';
import { EngineHarness } from '../semantics/engine-harness.js';
import { deployFixtures } from './dmn-test-support.js';

let dataDir: string;
beforeEach(async () => { dataDir = await mkdtemp(path.join(tmpdir(), 'orderflow-dmn-')); });
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('decisions across a restart', () => {
  it('When the engine restarts, then a business rule task evaluates the decision deployed before', async () => {
    const before = await openEmbeddedEngine({ dataDir });
    await deployFixtures(before, 'shipping.dmn', 'decide-shipping.bpmn');
    await before.close();
    const h = new EngineHarness(await openEmbeddedEngine({ dataDir }));
    try {
      const instance = await h.start('decide-shipping', { country: 'DE', weight: 30 });
      await h.waitForCompletion(instance.key);
      expect(h.variable(instance.key, 'shipping')).toEqual({ carrier: 'DB Schenker', days: 4 });
    } finally {
      await h.close();
    }
  });

  it('When the engine restarts, then the next deployment of a changed file gets the next version and an unchanged one is a duplicate', async () => {
    const before = await openEmbeddedEngine({ dataDir });
    await deployFixtures(before, 'shipping.dmn');
    await before.close();
    const after = await openEmbeddedEngine({ dataDir });
    try {
      expect((await deployFixtures(after, 'shipping.dmn')).decisionRequirements[0]!.version).toBe(1);
      expect((await deployFixtures(after, 'shipping-next-day.dmn')).decisionRequirements[0]!.version).toBe(2);
    } finally {
      await after.close();
    }
  });
});
