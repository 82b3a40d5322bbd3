/**
 * Lists the files a workspace analysis covers: every source, model.json and ONNX model under the
 * workspace folders (or one folder), minus the folders never worth reading, `files.exclude` and
 * `search.exclude` (VS Code globs), what `.gitignore` files (nested ones too) ignore, and
 * `normLens.workspace.exclude` and the project settings' `exclude` (gitignore-style), as the CLI
 * reads them.
 */
import * as vscode from 'vscode';
import { GitignoreRules, inputLanguageOf, type InputLanguage } from '../../core/index';
import ignore, { type Ignore } from 'ignore';
import { ExcludeMatcher } from './glob';

/** The file names NormLens analyses; {@link inputLanguageOf} has the last word. */
export const INCLUDE =
  '**/{*.py,*.pyi,*.js,*.mjs,*.cjs,*.jsx,*.ts,*.mts,*.cts,*.tsx,*.onnx,*model.json}';

/** Dependency, VCS and cache folders: huge, and never the user's own models. */
const ALWAYS_EXCLUDED = [
  '**/node_modules',
  '**/.git',
  '**/__pycache__',
  '**/.venv',
  '**/venv',
  '**/.tox',
  '**/.mypy_cache',
  '**/site-packages',
];

/** One file to analyse. */
export interface ListedFile {
  readonly uri: vscode.Uri;
  readonly language: InputLanguage;
}

/** The files found, and whether `maxFiles` cut the list short. */
export interface FileListing {
  readonly files: readonly ListedFile[];
  readonly truncated: boolean;
  /**
   * The language of a file this listing would hold (under its scope, not excluded nor ignored),
   * else undefined: decides for files created or changed after it was made.
   */
  readonly accepts: (uri: vscode.Uri) => InputLanguage | undefined;
}

/**
 * The analysable files under `scope` (a folder) or under every workspace folder, sorted by path.
 * `excludesOf` gives the gitignore-style NormLens excludes that apply to a file, relative to its
 * workspace folder (the same syntax as the project file's `exclude`, which the CLI reads too).
 */
export async function findAnalysableFiles(
  scope: vscode.Uri | undefined,
  excludesOf: (uri: vscode.Uri) => readonly string[],
  maxFiles: number,
  token: vscode.CancellationToken,
): Promise<FileListing> {
  const globs = [
    ...ALWAYS_EXCLUDED,
    ...enabledGlobs('files.exclude'),
    ...enabledGlobs('search.exclude'),
  ];
  const matcher = new ExcludeMatcher(globs);
  // Globs without braces also go to the search itself, so an excluded tree is never listed
  // (VS Code's globs do not nest braces); every glob is applied to the results below.
  const searchExclude = `{${globs.filter((glob) => !/[{}]/.test(glob)).join(',')}}`;
  const include = scope ? new vscode.RelativePattern(scope, INCLUDE) : INCLUDE;
  const found = await vscode.workspace.findFiles(include, searchExclude, maxFiles + 1, token);
  const gitignored = await gitignoreRules(found, scope, searchExclude, token);
  const ignores = new Map<string, Ignore>();
  const ignoredByNormLens = (uri: vscode.Uri, path: string): boolean => {
    const base = baseOf(uri, scope)?.toString() ?? '';
    let rules = ignores.get(base);
    if (!rules) {
      rules = ignore().add([...excludesOf(uri)]);
      ignores.set(base, rules);
    }
    return path !== '' && rules.ignores(path);
  };
  const scopePrefix = scope?.toString().replace(/\/?$/, '/');
  const accepts = (uri: vscode.Uri): InputLanguage | undefined => {
    const inScope = scopePrefix
      ? uri.toString().startsWith(scopePrefix)
      : vscode.workspace.getWorkspaceFolder(uri) !== undefined;
    const language = inScope ? inputLanguageOf(uri.path) : undefined;
    if (language === undefined) {
      // Most watched events are for files outside the scope: no glob or ignore file is consulted.
      return undefined;
    }
    const path = relativePath(uri, scope);
    const ignored =
      matcher.excludes(path) ||
      gitignored.get(baseOf(uri, scope)?.toString() ?? '')?.ignores(path) === true ||
      ignoredByNormLens(uri, path);
    return ignored ? undefined : language;
  };
  const files = found
    .flatMap((uri): ListedFile[] => {
      const language = accepts(uri);
      return language ? [{ uri, language }] : [];
    })
    .sort((a, b) => (a.uri.path < b.uri.path ? -1 : a.uri.path > b.uri.path ? 1 : 0));
  return { files: files.slice(0, maxFiles), truncated: found.length > maxFiles, accepts };
}

/**
 * The `.gitignore` rules of each folder paths are relative to (by URI string): every
 * `.gitignore` under it, read through `workspace.fs`. One that cannot be read is skipped.
 */
async function gitignoreRules(
  found: readonly vscode.Uri[],
  scope: vscode.Uri | undefined,
  searchExclude: string,
  token: vscode.CancellationToken,
): Promise<Map<string, GitignoreRules>> {
  const bases = new Map<string, vscode.Uri>();
  for (const uri of found) {
    const base = baseOf(uri, scope);
    if (base) {
      bases.set(base.toString(), base);
    }
  }
  const rules = new Map<string, GitignoreRules>();
  for (const [key, base] of bases) {
    const files = await vscode.workspace.findFiles(
      new vscode.RelativePattern(base, '**/.gitignore'),
      searchExclude,
      undefined,
      token,
    );
    const read = await Promise.all(
      files.map(async (file) => {
        try {
          const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(file));
          const folder = relativePath(file, scope).replace(/\/?\.gitignore$/, '');
          return [{ folder, text }];
        } catch {
          return [];
        }
      }),
    );
    rules.set(key, new GitignoreRules(read.flat()));
  }
  return rules;
}

/** The globs a `files.exclude`-style setting switches on (`when` clauses depend on siblings: skipped). */
function enabledGlobs(setting: string): string[] {
  const value = vscode.workspace.getConfiguration().get<Record<string, unknown>>(setting, {});
  return Object.entries(value)
    .filter(([, enabled]) => enabled === true)
    .map(([glob]) => glob);
}

/** The folder paths are relative to: `uri`'s workspace folder, or `scope` outside the workspace. */
function baseOf(uri: vscode.Uri, scope: vscode.Uri | undefined): vscode.Uri | undefined {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri ?? scope;
}

/** `uri`'s path relative to {@link baseOf}, with `/` separators. */
function relativePath(uri: vscode.Uri, scope: vscode.Uri | undefined): string {
  const base = baseOf(uri, scope);
  const prefix = base ? `${base.path.replace(/\/$/, '')}/` : '/';
  return uri.path.startsWith(prefix) ? uri.path.slice(prefix.length) : uri.path.replace(/^\//, '');
}
