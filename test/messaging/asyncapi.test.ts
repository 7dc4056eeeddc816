import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { messageCatalog } from '../../infra/messaging/contract/index.js';
import { asyncApiPath, renderAsyncApi } from '../../infra/messaging/generate-asyncapi.js';

const errorSeverity = 0;

async function parseDocument() {
  const { document, diagnostics } = await new Parser().parse(readFileSync(asyncApiPath, 'utf8'));
  return { document, errors: diagnostics.filter((diagnostic) => diagnostic.severity === errorSeverity) };
}

describe('asyncapi.yaml', () => {
  it('When parsed with @asyncapi/parser, then it has no errors', async () => {
    const { document, errors } = await parseDocument();

    expect(errors).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('When compared with the zod contract, then it documents exactly the same message types', async () => {
    const { document } = await parseDocument();

    const documented = document!.messages().all().map((message) => message.name());

    expect(new Set(documented)).toEqual(new Set(messageCatalog.keys()));
  });

  it('When compared with the generator output, then it is up to date (regenerate with npx tsx infra/messaging/generate-asyncapi.ts)', () => {
    expect(readFileSync(asyncApiPath, 'utf8')).toBe(renderAsyncApi());
  });
});
