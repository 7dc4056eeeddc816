/**
 * The testing kit's examples in README.md and docs/testing-kit.md, run as written. Each `ts` block
 * that starts the test engine is a test file at the project root, as the docs say: it is copied
 * under `.data/`, its relative imports pointed at the same modules from there, and imported inside a
 * `describe`, so its hooks and tests run here.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPath, projectRoot } from '../../lib/project/project-root.js';

const DOCUMENTS = ['README.md', 'docs/testing-kit.md'] as const;
const exampleDirectory = projectPath('.data', `doc-examples-${process.pid}`);

afterAll(() => rmSync(exampleDirectory, { recursive: true, force: true }));

/** The fenced `ts` blocks of a markdown file that start the test engine. */
function testingKitExamples(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!).filter((code) => code.includes('startTestEngine('));
}

/** The example with each relative import resolved from the project root, where the docs put the file. */
function fromProjectRoot(code: string, exampleFile: string): string {
  return code.replace(/(from\s+')(\.\.?\/[^']+)(')/g, (_match, before: string, specifier: string, after: string) => {
    const target = path.relative(path.dirname(exampleFile), path.resolve(projectRoot, specifier));
    return `${before}${target.startsWith('.') ? target : `./${target}`}${after}`;
  });
}

for (const document of DOCUMENTS) {
  const examples = testingKitExamples(readFileSync(projectPath(document), 'utf8'));

  it(`When ${document} is read, then it has a testing kit example`, () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  examples.forEach((code, index) => {
    describe(`${document}, example ${index + 1}`, async () => {
      const exampleFile = path.join(exampleDirectory, `${document.replaceAll('/', '-')}-${index + 1}.ts`);
      mkdirSync(exampleDirectory, { recursive: true });
      writeFileSync(exampleFile, fromProjectRoot(code, exampleFile));
      await import(exampleFile);
    });
  });
}
