/**
 * Expands command-line paths into the files NormLens analyses (sources and models), honouring
 * `.gitignore` files (nested ones too) and exclude globs.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { ignoredByLayers } from '../core/index';
import { isAnalysable } from './analyze-file';

/** Folders never worth walking into, ignored or not. */
const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', 'venv', '.tox', '.mypy_cache']);

/** Options of {@link collectInputFiles}. */
export interface WalkOptions {
  /** Gitignore-style globs relative to each walked folder (the path given, not the cwd). */
  readonly exclude?: readonly string[];
  /** Read `.gitignore` files in walked folders (default true). */
  readonly gitignore?: boolean;
}

/** One folder's ignore rules: its patterns match paths relative to `base`. */
interface IgnoreLayer {
  readonly base: string;
  readonly rules: Ignore;
}

/**
 * Files under `paths` that NormLens can analyse, sorted. Folders are walked (skipping dot folders,
 * `node_modules` and what `.gitignore` and `exclude` rule out); explicit file paths are kept as
 * given whatever their name, so `check weird.txt` still reports on it.
 */
export async function collectInputFiles(
  paths: readonly string[],
  options: WalkOptions = {},
): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given);
    if (info.isDirectory()) {
      const layers: IgnoreLayer[] = [];
      if (options.exclude && options.exclude.length > 0) {
        layers.push({ base: given, rules: ignore().add([...options.exclude]) });
      }
      await walk(given, layers, options.gitignore ?? true, files);
    } else {
      files.push(given);
    }
  }
  return [...new Set(files)].sort();
}

async function walk(
  folder: string,
  inherited: readonly IgnoreLayer[],
  gitignore: boolean,
  files: string[],
): Promise<void> {
  const local = gitignore ? await gitignoreOf(folder) : undefined;
  const layers = local ? [...inherited, { base: folder, rules: local }] : inherited;
  const entries = await readdir(folder, { withFileTypes: true });
  const folders: string[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) {
        if (!isIgnored(layers, full, true)) {
          folders.push(full);
        }
      }
    } else if (entry.isFile() && isAnalysable(entry.name) && !isIgnored(layers, full, false)) {
      files.push(full);
    }
  }
  for (const child of folders) {
    await walk(child, layers, gitignore, files);
  }
}

function isIgnored(layers: readonly IgnoreLayer[], full: string, isFolder: boolean): boolean {
  const suffix = isFolder ? '/' : '';
  return ignoredByLayers(
    layers.map(({ base, rules }) => ({
      rules,
      path: path.relative(base, full).split(path.sep).join('/') + suffix,
    })),
  );
}

async function gitignoreOf(folder: string): Promise<Ignore | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(folder, '.gitignore'), 'utf8');
  } catch {
    // Most folders have no .gitignore; an unreadable one is treated the same way.
    return undefined;
  }
  return ignore().add(text);
}
