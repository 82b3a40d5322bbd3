/**
 * Expands command-line paths into the files NormLens analyses (sources and models).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isAnalysable } from './analyze-file';

/** Folders never worth walking into. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.mypy_cache',
]);

/** Files under `paths` that NormLens can analyse, sorted; explicit file paths are kept as given. */
export async function collectInputFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given);
    if (info.isDirectory()) {
      await walk(given, files);
    } else {
      files.push(given);
    }
  }
  return [...new Set(files)].sort();
}

async function walk(folder: string, files: string[]): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) {
        await walk(full, files);
      }
    } else if (entry.isFile() && isAnalysable(entry.name)) {
      files.push(full);
    }
  }
}
