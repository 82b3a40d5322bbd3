/**
 * The dotted module name of a Python file, found the way Python's import system would: the folders
 * above it that hold an `__init__.py` form its package. Needed to follow relative imports.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { PythonFileOptions } from '../core/index';

/** Module options for `file`; never looks above `stopAt` (the workspace folder or working directory). */
export async function pythonModuleOf(file: string, stopAt: string): Promise<PythonFileOptions> {
  const absolute = path.resolve(file);
  const root = path.resolve(stopAt);
  const base = path.basename(absolute).replace(/\.pyi?$/i, '');
  const isPackage = base === '__init__';
  const parts = isPackage ? [] : [base];
  let folder = path.dirname(absolute);
  while (isInside(folder, root) && (await exists(path.join(folder, '__init__.py')))) {
    parts.unshift(path.basename(folder));
    folder = path.dirname(folder);
  }
  return parts.length === 0 ? {} : { module: parts.join('.'), isPackage };
}

function isInside(folder: string, root: string): boolean {
  const relative = path.relative(root, folder);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
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
