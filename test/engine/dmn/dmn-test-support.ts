/** What the DMN specifications share: fixtures under test/engine/fixtures/dmn, parsed as the engine deploys them. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ParsedDrg } from '../../../infra/engine/dmn/decision-model.js';
import type { DeploymentResult, EngineApi } from '../../../infra/engine/engine-api.js';
import { parseDmn, type DmnParseResult } from '../../../infra/engine/dmn/dmn-parser.js';

export function dmnFixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/dmn/${name}`, import.meta.url));
}

export async function parseDmnFixture(name: string): Promise<DmnParseResult> {
  return parseDmn(await readFile(dmnFixturePath(name), 'utf8'));
}

/** The graph of a fixture that must parse. */
export async function drgOf(name: string): Promise<ParsedDrg> {
  const parsed = await parseDmnFixture(name);
  if (!parsed.ok) throw new Error(`Expected ${name} to parse, but: ${parsed.failure}`);
  return parsed.drg;
}

/** Deploys files of test/engine/fixtures/dmn (DMN and the BPMN that calls it) as one deployment. */
export async function deployFixtures(engine: EngineApi, ...names: string[]): Promise<DeploymentResult> {
  return engine.deployResources(await Promise.all(names.map(async (name) => ({ name, content: await readFile(dmnFixturePath(name)) }))));
}
