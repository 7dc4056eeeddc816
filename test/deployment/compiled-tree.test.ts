/**
 * The compiled tree the system's processes run from: complete, shared by processes that start
 * together, and faithful to the sources (assets from the project root, stack traces naming the
 * TypeScript).
 */
import { execFile } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath, projectRoot } from '../../lib/project/project-root.js';
import { nodeArgumentsFor } from '../../scripts/start/child-process.js';
import { type CompiledTree, CompiledTreeError, compiledTree } from '../../scripts/start/compiled-tree.js';

const run = promisify(execFile);

/** Runs an ES module snippet with Node alone, as a system process runs. */
async function runModule(source: string): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', source], { cwd: projectRoot }).catch((error: { stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: error.stderr }));
}

describe('compiled tree', () => {
  let buildsDirectory: string;
  let trees: CompiledTree[];

  beforeAll(async () => {
    buildsDirectory = await mkdtemp(projectPath('.data', 'compiled-tree-test-'));
    // Two at once, as the processes of one system start together.
    trees = await Promise.all([compiledTree({ buildsDirectory }), compiledTree({ buildsDirectory })]);
  }, 60_000);

  afterAll(() => rm(buildsDirectory, { recursive: true, force: true }));

  it('When two callers ask for the same sources at once, then both get one complete tree and no staging directory is left', async () => {
    expect(trees[0]!.directory).toBe(trees[1]!.directory);
    expect(await readdir(buildsDirectory)).toEqual([path.basename(trees[0]!.directory)]);
    expect(existsSync(path.join(trees[0]!.directory, '.complete'))).toBe(true);
  });

  it('When a process entry is asked for, then its JavaScript is there and Node runs it on its own', async () => {
    for (const entry of ['infra/engine/main.ts', 'services/order/main.ts', 'services/payment/main.ts', 'workers/main.ts', 'services/ops/main.ts']) {
      expect(existsSync(trees[0]!.entry(entry)), entry).toBe(true);
    }
    expect(nodeArgumentsFor(trees[0]!.entry('workers/main.ts'))).toEqual(['--enable-source-maps', trees[0]!.entry('workers/main.ts')]);
    expect(nodeArgumentsFor('workers/main.ts')).toEqual(['--import', 'tsx', 'workers/main.ts']);
  });

  it('When a compiled module looks for the project, then it finds the project root, not the tree', async () => {
    const module = trees[0]!.entry('lib/project/project-root.ts');
    const { stdout, stderr } = await runModule(`const { projectRoot } = await import(${JSON.stringify(module)}); console.log(projectRoot);`);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe(projectRoot);
  });

  it('When a compiled service loads its generated Prisma client, then the linked client is the one generated from its schema', async () => {
    const linked = path.join(trees[0]!.directory, 'services', 'order', 'data-access', 'generated');
    expect(readlinkSync(linked)).toBe(projectPath('services', 'order', 'data-access', 'generated'));
    const module = trees[0]!.entry('services/order/data-access/order-database.ts');
    const { stderr } = await runModule(`await import(${JSON.stringify(module)});`);
    expect(stderr).toBe('');
  });

  it('When compiled code throws, then the stack trace names the TypeScript source', async () => {
    const module = trees[0]!.entry('scripts/start/compiled-tree.ts');
    const { stdout } = await runModule(`const { compiledTree } = await import(${JSON.stringify(module)}); try { (await compiledTree()).entry('README.md'); } catch (error) { console.log(error.stack); }`);
    expect(stdout).toContain('Expected a TypeScript source inside the project, but got README.md');
    expect(stdout).toMatch(/compiled-tree\.ts:\d+:\d+/);
  });

  it('When `npm run build -- --link` runs, then the link names the current tree, and a directory in the way is not replaced', async () => {
    const link = path.join(buildsDirectory, 'current');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--link', link], { cwd: projectRoot });
    expect(stdout).toMatch(/^(Compiled \d+ sources into|Up to date:) \.data\/build\/[0-9a-f]{16}/m);
    expect(readlinkSync(link)).toBe((await compiledTree()).directory);
    expect(existsSync(path.join(link, 'workers', 'main.js'))).toBe(true);

    const occupied = path.join(buildsDirectory, 'occupied');
    await mkdir(occupied);
    const refused = await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--link', occupied], { cwd: projectRoot }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain(`Expected ${occupied} to be a symbolic link or nothing, but it is a directory`);
  }, 60_000);

  it('When an entry is not a TypeScript source of the project, then it is refused by name', () => {
    expect(() => trees[0]!.entry('/etc/passwd.ts')).toThrow(CompiledTreeError);
    expect(() => trees[0]!.entry('README.md')).toThrow(/README\.md/);
  });
});
