/**
 * Project settings of each workspace folder, read through `workspace.fs` (so the web host reads
 * them too) with the core's parsers, the same ones the CLI uses: `normlens.json`, else
 * `pyproject.toml`'s `[tool.normlens]`; the torch pin from `requirements.txt`, else the pyproject's
 * dependencies, else the settings' `torchVersion`. The files are watched; a malformed one is shown
 * in Problems at its line and its folder falls back to VS Code settings alone.
 */
import * as vscode from 'vscode';
import {
  parseSettingsFile,
  SettingsError,
  SETTINGS_FILE_NAMES,
  torchVersionFromPyproject,
  torchVersionFromRequirements,
  type ProjectSettings,
  type VersionEvidence,
} from '../core/index';
import type { Log } from './log';

/** What one workspace folder's files say. */
export interface FolderSettings {
  /** The settings, and the file they came from (`normlens.json` or `pyproject.toml`). */
  readonly project?: { readonly settings: ProjectSettings; readonly file: string };
  readonly torch?: VersionEvidence;
}

const REQUIREMENTS = 'requirements.txt';
const WATCHED = `{${[...SETTINGS_FILE_NAMES, REQUIREMENTS].join(',')}}`;

/** Settings files per workspace folder, kept current by file watchers. */
export class ProjectSettingsStore implements vscode.Disposable {
  private readonly folders = new Map<string, FolderSettings>();
  private readonly problems = vscode.languages.createDiagnosticCollection('normlens-settings');
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];

  /** Fires after a folder's settings were re-read. */
  readonly onDidChange = this.changed.event;
  /** Resolves once every folder's files were read the first time. */
  readonly ready: Promise<void>;

  constructor(private readonly log: Log) {
    this.ready = this.loadAll();
    this.subscriptions.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        void this.loadAll().then(() => this.changed.fire());
      }),
    );
  }

  /** The settings of the folder holding `uri`. */
  forUri(uri: vscode.Uri): FolderSettings {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return (folder && this.folders.get(folder.uri.toString())) ?? {};
  }

  /** Every folder's settings, for the cache key. */
  all(): readonly (readonly [string, FolderSettings])[] {
    return [...this.folders.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions, ...this.watchers).dispose();
    this.problems.dispose();
    this.changed.dispose();
  }

  private async loadAll(): Promise<void> {
    vscode.Disposable.from(...this.watchers).dispose();
    this.folders.clear();
    this.problems.clear();
    const folders = vscode.workspace.workspaceFolders ?? [];
    this.watchers = folders.map((folder) => this.watch(folder));
    await Promise.all(folders.map((folder) => this.load(folder)));
  }

  private watch(folder: vscode.WorkspaceFolder): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(folder, WATCHED),
    );
    const reload = (): void => {
      void this.load(folder).then(() => this.changed.fire());
    };
    return vscode.Disposable.from(
      watcher,
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
    );
  }

  private async load(folder: vscode.WorkspaceFolder): Promise<void> {
    const read = (name: string): Promise<string | undefined> => this.readText(folder.uri, name);
    const [texts, requirements] = await Promise.all([
      Promise.all(SETTINGS_FILE_NAMES.map(async (name) => [name, await read(name)] as const)),
      read(REQUIREMENTS),
    ]);
    let project: FolderSettings['project'];
    let pyprojectPin: VersionEvidence | undefined;
    for (const [name, text] of texts) {
      this.problems.delete(vscode.Uri.joinPath(folder.uri, name));
      if (text === undefined) {
        continue;
      }
      try {
        const settings = project ? undefined : parseSettingsFile(name, text);
        project = settings ? { settings, file: name } : project;
        if (name === 'pyproject.toml') {
          pyprojectPin = torchVersionFromPyproject(text, name);
        }
      } catch (error) {
        this.report(folder, name, error);
      }
    }
    const torch =
      (requirements === undefined ? undefined : torchVersionFromRequirements(requirements)) ??
      pyprojectPin ??
      (project?.settings.torchVersion === undefined
        ? undefined
        : { version: project.settings.torchVersion, origin: project.file });
    this.folders.set(folder.uri.toString(), {
      ...(project ? { project } : {}),
      ...(torch ? { torch } : {}),
    });
    this.log.info(
      `project settings of ${folder.name}: ${project ? project.file : 'none'}` +
        (torch ? `, torch ${torch.version} (${torch.origin ?? 'settings'})` : ''),
    );
  }

  /** A malformed file: a Problems entry at its line, and the log. */
  private report(folder: vscode.WorkspaceFolder, name: string, error: unknown): void {
    const uri = vscode.Uri.joinPath(folder.uri, name);
    if (!(error instanceof SettingsError)) {
      this.log.error(`reading ${uri.toString()} failed`, error);
      return;
    }
    const line = Math.max(0, error.line - 1);
    const column = Math.max(0, error.column - 1);
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(line, column, line, column + 1),
      `NormLens ignores this file until it is fixed: ${error.reason}`,
      vscode.DiagnosticSeverity.Error,
    );
    diagnostic.source = 'NormLens';
    this.problems.set(uri, [diagnostic]);
  }

  /** A folder's file as text; undefined when it does not exist or cannot be read (logged). */
  private async readText(folder: vscode.Uri, name: string): Promise<string | undefined> {
    const uri = vscode.Uri.joinPath(folder, name);
    try {
      return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) {
        this.log.error(`reading ${uri.toString()} failed`, error);
      }
      return undefined;
    }
  }
}
