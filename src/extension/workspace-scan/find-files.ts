/**
 * Lists the files a workspace analysis covers: every source, model.json and ONNX model under the
 * workspace folders (or one folder), minus the folders never worth reading, `files.exclude` and
 * `search.exclude` (VS Code globs), `normLens.workspace.exclude` and the project settings'
 * `exclude` (gitignore-style, as the CLI reads them).
 */
import * as vscode from 'vscode';
import { inputLanguageOf, type InputLanguage } from '../../core/index';
import ignore, { type Ignore } from 'ignore';
import { ExcludeMatcher } from './glob';

/** The file names NormLens analyses; {@link inputLanguageOf} has the last word. */
const INCLUDE = '**/{*.py,*.pyi,*.js,*.mjs,*.cjs,*.jsx,*.ts,*.mts,*.cts,*.tsx,*.onnx,*model.json}';

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
  const files = found
    .flatMap((uri): ListedFile[] => {
      const language = inputLanguageOf(uri.path);
      const path = relativePath(uri, scope);
      return language && !matcher.excludes(path) && !ignoredByNormLens(uri, path)
        ? [{ uri, language }]
        : [];
    })
    .sort((a, b) => (a.uri.path < b.uri.path ? -1 : a.uri.path > b.uri.path ? 1 : 0));
  return { files: files.slice(0, maxFiles), truncated: found.length > maxFiles };
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
