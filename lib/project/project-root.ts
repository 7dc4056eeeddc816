/**
 * Where the project's files are, whether this code runs from its TypeScript sources or from the
 * compiled tree under `.data/build/`: the nearest directory above this module that holds the
 * project's package.json. Assets (BPMN, public folders, schemas) are found from here, never
 * relative to the running module, so both ways of running find the same files.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OrderflowError } from '../errors.js';

function findProjectRoot(from: string): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'package.json'))) return directory;
    if (path.dirname(directory) === directory) throw new OrderflowError('PROJECT_ROOT_NOT_FOUND', `Expected a package.json above ${from}, but there is none: the project's files cannot be found`, { from });
  }
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `projectPath('processes', 'checkout.bpmn')`. */
export function projectPath(...segments: string[]): string {
  return path.join(projectRoot, ...segments);
}
