/**
 * `npm run build [-- --link PATH]`: compiles the sources into `.data/build/<digest>/`, the tree
 * `npm start` and the benchmark run their processes from (both build it themselves when it is
 * missing). `--link PATH` points a symbolic link at it, so an image can name its entry points
 * (`build/services/order/main.js`) without knowing the digest.
 */
import { lstat, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compiledTree } from './start/compiled-tree.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { link: { type: 'string' } }, strict: true });
  const startedAt = performance.now();
  const tree = await compiledTree();
  const took = Math.round(performance.now() - startedAt);
  const where = path.relative(process.cwd(), tree.directory);
  process.stdout.write(tree.built ? `Compiled ${tree.sourceCount} sources into ${where} in ${took} ms\n` : `Up to date: ${where} (${tree.sourceCount} sources)\n`);
  if (values.link) {
    const link = path.resolve(values.link);
    const existing = await lstat(link).catch(() => undefined);
    if (existing && !existing.isSymbolicLink()) throw new Error(`Expected ${link} to be a symbolic link or nothing, but it is a ${existing.isDirectory() ? 'directory' : 'file'}; not replacing it`);
    await rm(link, { force: true });
    await symlink(tree.directory, link, 'dir');
    process.stdout.write(`Linked ${path.relative(process.cwd(), link)} → ${where}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`✗ npm run build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
