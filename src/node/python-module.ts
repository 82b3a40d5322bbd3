/**
 * The dotted module name of a Python file, found the way Python's import system would: the folders
 * above it that hold an `__init__.py` form its package. Needed to follow relative imports.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { PythonFileOptions } from '../core/index';

/**
 * Whether each folder holds an `__init__.py`, remembered for a run over many files: the files of a
 * folder share its lookups instead of each asking the file system again.
 */
export type PackageFolderCache = Map<string, Promise<boolean>>;

/**
 * Module options for `file`; never looks above `stopAt` (the workspace folder or working
 * directory). With `cache`, each folder is looked up once for as long as the caller keeps it.
 */
export async function pythonModuleOf(
  file: string,
  stopAt: string,
  cache?: PackageFolderCache,
): Promise<PythonFileOptions> {
  const absolute = path.resolve(file);
  const root = path.resolve(stopAt);
  const base = path.basename(absolute).replace(/\.pyi?$/i, '');
  const isPackage = base === '__init__';
  const parts = isPackage ? [] : [base];
  let folder = path.dirname(absolute);
  while (isInside(folder, root) && (await isPackageFolder(folder, cache))) {
    parts.unshift(path.basename(folder));
    folder = path.dirname(folder);
  }
  return parts.length === 0 ? {} : { module: parts.join('.'), isPackage };
}

function isInside(folder: string, root: string): boolean {
  const relative = path.relative(root, folder);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function isPackageFolder(folder: string, cache: PackageFolderCache | undefined): Promise<boolean> {
  let known = cache?.get(folder);
  if (known === undefined) {
    known = exists(path.join(folder, '__init__.py'));
    cache?.set(folder, known);
  }
  return known;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    // A missing __init__.py is the normal end of a package.
    return false;
  }
}
