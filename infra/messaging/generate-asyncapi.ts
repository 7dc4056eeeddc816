import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { buildAsyncApiDocument } from './contract/asyncapi-document.js';
import { projectPath } from '../../lib/project/project-root.js';

/** Where the generated document lives; the contract test fails if it is stale. */
export const asyncApiPath = projectPath('infra', 'messaging', 'asyncapi.yaml');

export function renderAsyncApi(): string {
  return `# Generated from infra/messaging/contract: npx tsx infra/messaging/generate-asyncapi.ts\n${stringify(buildAsyncApiDocument(), { aliasDuplicateObjects: false, lineWidth: 0 })}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(asyncApiPath, renderAsyncApi());
}
