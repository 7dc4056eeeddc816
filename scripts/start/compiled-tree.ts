/**
 * The project's TypeScript compiled to plain JavaScript under `.data/build/<digest>/`, so the
 * system's processes run on Node alone. Run through tsx, each process also carries tsx's loader
 * thread (a second V8 isolate, about 50 MB) and an esbuild service process (about 12 MB); nine
 * of them would cost more memory than the whole engine.
 *
 * The tree mirrors the source folders file for file, so every relative import resolves as in the
 * sources; files that are not TypeScript (the generated Prisma clients) are linked, not copied.
 * Assets are found from the project root (`lib/project/project-root.ts`), not from the running
 * module. The digest covers every source file, so a tree is never stale, and processes that start
 * together share one build.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import { OrderflowError } from '../../lib/errors.js';
import { projectPath, projectRoot } from '../../lib/project/project-root.js';

/** The folders that hold code a system process may load. */
const SOURCE_FOLDERS = ['infra', 'lib', 'services', 'workers', 'scripts', 'bench'] as const;
/** Folders of generated JavaScript that the sources import by relative path. */
const LINKED_FOLDER_NAME = 'generated';
const COMPLETE_MARKER = '.complete';
/** Builds no process has started from for this long are removed. */
const UNUSED_BUILD_MS = 24 * 60 * 60 * 1000;

export class CompiledTreeError extends OrderflowError {
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('COMPILED_TREE', message, context, options);
  }
}

export interface CompiledTree {
  directory: string;
  /** TypeScript files compiled into it. */
  sourceCount: number;
  /** Whether this call built it; false when an earlier one had. */
  built: boolean;
  /** The compiled file of a TypeScript source, given relative to the project root or absolute. */
  entry(sourcePath: string): string;
}

export interface CompiledTreeOptions {
  /** Where trees are kept: `.data/build` unless given. It must lie inside the project, so compiled modules find its package.json and node_modules above them. */
  buildsDirectory?: string;
}

/** The compiled tree of the current sources: built when missing, reused when it already exists. */
export async function compiledTree({ buildsDirectory = projectPath('.data', 'build') }: CompiledTreeOptions = {}): Promise<CompiledTree> {
  const { sources, linked } = await listSources();
  const digest = await digestOf(sources);
  const directory = path.join(buildsDirectory, digest);
  const built = !existsSync(path.join(directory, COMPLETE_MARKER));
  if (!built) {
    const now = new Date();
    await utimes(directory, now, now);
  } else {
    await compileInto(directory, sources, linked);
    await removeUnusedBuilds(buildsDirectory, digest);
  }
  return {
    directory,
    sourceCount: sources.length,
    built,
    entry: (sourcePath) => {
      const relative = path.relative(projectRoot, path.resolve(projectRoot, sourcePath));
      if (!relative.endsWith('.ts') || relative.startsWith('..')) throw new CompiledTreeError(`Expected a TypeScript source inside the project, but got ${sourcePath}`, { sourcePath });
      return path.join(directory, relative.replace(/\.ts$/, '.js'));
    },
  };
}

async function listSources(): Promise<{ sources: string[]; linked: string[] }> {
  const sources: string[] = [];
  const linked: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    // An image leaves out what it does not run (bench/, for one).
    if (!existsSync(projectPath(folder))) continue;
    for (const entry of await readdir(projectPath(folder), { recursive: true, withFileTypes: true })) {
      const file = path.relative(projectRoot, path.join(entry.parentPath, entry.name));
      const segments = file.split(path.sep);
      const linkedAt = segments.indexOf(LINKED_FOLDER_NAME);
      if (linkedAt >= 0) {
        if (entry.isDirectory() && linkedAt === segments.length - 1) linked.push(file);
        continue;
      }
      if (entry.isFile() && file.endsWith('.ts') && !file.endsWith('.d.ts')) sources.push(file);
    }
  }
  return { sources: sources.sort(), linked: linked.sort() };
}

async function digestOf(sources: readonly string[]): Promise<string> {
  const hash = createHash('sha1').update(`esbuild ${esbuildVersion} node ${process.versions.node}\n`);
  for (const file of sources) hash.update(`${file}\n`).update(await readFile(projectPath(file))).update('\n');
  return hash.digest('hex').slice(0, 16);
}

async function compileInto(directory: string, sources: readonly string[], linked: readonly string[]): Promise<void> {
  // Built aside and renamed into place, so a process never starts from half a tree; each call has a
  // staging directory of its own, since calls of one process (same pid) may build at the same time.
  const staging = `${directory}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await build({
      absWorkingDir: projectRoot,
      entryPoints: [...sources],
      outdir: staging,
      outbase: '.',
      bundle: false,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
    });
    for (const folder of linked) {
      await mkdir(path.dirname(path.join(staging, folder)), { recursive: true });
      await symlink(projectPath(folder), path.join(staging, folder), 'dir');
    }
    await writeFile(path.join(staging, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    await rename(staging, directory);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another process finished the same build first: its tree is as good as ours.
    if (existsSync(path.join(directory, COMPLETE_MARKER))) return;
    throw new CompiledTreeError(`Compiling the sources into ${directory} failed: ${error instanceof Error ? error.message : String(error)}`, { directory }, { cause: error });
  }
}

async function removeUnusedBuilds(buildsDirectory: string, current: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(buildsDirectory)) {
    if (name === current) continue;
    const directory = path.join(buildsDirectory, name);
    const modified = await stat(directory).then((status) => status.mtimeMs, () => now);
    if (now - modified > UNUSED_BUILD_MS) await rm(directory, { recursive: true, force: true });
  }
}
