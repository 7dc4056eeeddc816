/**
 * The element tests' harness: the semantics tests' {@link EngineHarness}, deploying fixtures from
 * `test/engine/fixtures/elements`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ValueType } from '../../../infra/engine/core/records.js';
import type { DeploymentResult } from '../../../infra/engine/engine-api.js';
import { openEmbeddedEngine } from '../../../infra/engine/embedded-engine.js';
import { EngineHarness } from '../semantics/engine-harness.js';

export class ElementsHarness extends EngineHarness {
  override async deploy(...fileNames: string[]): Promise<DeploymentResult> {
    const resources = await Promise.all(fileNames.map(async (name) => ({
      name,
      content: await readFile(fileURLToPath(new URL(`../fixtures/elements/${name}`, import.meta.url))),
    })));
    return this.engine.deployResources(resources);
  }

  /** Keys of the process instances a call activity started, in record order. */
  calledInstances(parentProcessInstanceKey: number): number[] {
    return this.records
      .filter((r) => r.valueType === ValueType.PROCESS_INSTANCE && r.intent === 'ELEMENT_ACTIVATED' && r.value.bpmnElementType === 'PROCESS' && r.value.parentProcessInstanceKey === parentProcessInstanceKey)
      .map((r) => r.key);
  }
}

export async function startElementsHarness(): Promise<ElementsHarness> {
  return new ElementsHarness(await openEmbeddedEngine());
}
