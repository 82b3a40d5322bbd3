/**
 * The settings an analysis runs with, per file: rule options, size limits, excludes and the pinned
 * torch version. One place answers, so open editors, the workspace scan and its cache agree.
 *
 * Precedence: a project settings file (`normlens.json` / `pyproject.toml` `[tool.normlens]`)
 * overrides VS Code settings for every rule option and limit it sets, so the editor reports what
 * `normlens check` reports in CI; VS Code settings fill in what the file leaves out.
 * `normLens.projectSettings.enable: false` ignores the files.
 */
import * as vscode from 'vscode';
import type { PythonFileOptions, RuleConfig, RuleOptions } from '../core/index';
import {
  maxFileSizeKB,
  maxModelSizeMB,
  projectSettingsEnabled,
  ruleConfig,
  workspaceExcludes,
} from './config';
import type { FolderSettings, ProjectSettingsStore } from './project-settings';

/** A size limit and where it was set, for the note that says a file was skipped. */
export interface SizeLimit {
  readonly value: number;
  /** `normLens.maxFileSizeKB`, or `maxFileSizeKB in normlens.json`. */
  readonly origin: string;
}

/** What shapes one file's report besides its bytes. */
export interface FileSettings {
  readonly rules: RuleConfig;
  readonly maxFileSizeKB: SizeLimit;
  readonly maxModelSizeMB: SizeLimit;
  /** The torch version the project pins (`requirements.txt`, `pyproject.toml`, `normlens.json`). */
  readonly torchVersion?: string;
}

/** Effective settings, and an event when any of them changes. */
export class AnalysisSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];

  /** Fires when a setting that changes reports changed: re-analyse. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly project: ProjectSettingsStore) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('normLens')) {
          this.changed.fire();
        }
      }),
      project.onDidChange(() => this.changed.fire()),
    ];
  }

  /** Resolves once the project files were read (analyses wait for it, so they run once). */
  get ready(): Promise<void> {
    return this.project.ready;
  }

  /** The settings for `uri`. */
  forUri(uri: vscode.Uri): FileSettings {
    return merge(this.folderOf(uri));
  }

  /**
   * Gitignore-style globs a workspace scan skips under the folder holding `uri`:
   * `normLens.workspace.exclude` and the project file's `exclude`, relative to the folder.
   */
  excludes(uri: vscode.Uri): string[] {
    return [...workspaceExcludes(), ...(this.folderOf(uri).project?.settings.exclude ?? [])];
  }

  /** A key that changes whenever the settings of some file change (the scan cache's key). */
  key(): string {
    const folders = this.project
      .all()
      .map(([folder, settings]) => [
        folder,
        merge(this.enabled(settings)),
        settings.project?.settings.exclude,
      ]);
    return JSON.stringify({ vscode: merge({}), excludes: workspaceExcludes(), folders });
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.changed.dispose();
  }

  private folderOf(uri: vscode.Uri): FolderSettings {
    return this.enabled(this.project.forUri(uri));
  }

  /** The folder's settings, without the settings file when project settings are switched off. */
  private enabled(folder: FolderSettings): FolderSettings {
    return projectSettingsEnabled() || !folder.project ? folder : {};
  }
}

/** A Python file's options with the project's torch version added. */
export function withTorchVersion(
  module: PythonFileOptions,
  settings: FileSettings,
): PythonFileOptions {
  return settings.torchVersion ? { ...module, torchVersion: settings.torchVersion } : module;
}

/** VS Code settings overlaid with a folder's project settings. */
function merge(folder: FolderSettings): FileSettings {
  const project = folder.project;
  const limit = (key: 'maxFileSizeKB' | 'maxModelSizeMB', fallback: number): SizeLimit => {
    const value = project?.settings[key];
    return value === undefined
      ? {
          value: fallback,
          origin: `normLens.${key === 'maxModelSizeMB' ? 'workspace.' : ''}${key}`,
        }
      : { value, origin: `${key} in ${project?.file ?? 'the project settings'}` };
  };
  return {
    rules: mergeRules(ruleConfig(), project?.settings.rules ?? {}),
    maxFileSizeKB: limit('maxFileSizeKB', maxFileSizeKB()),
    maxModelSizeMB: limit('maxModelSizeMB', maxModelSizeMB()),
    ...(folder.torch ? { torchVersion: folder.torch.version } : {}),
  };
}

/** Rule options of `base` with those `over` sets replacing them, option by option. */
function mergeRules(base: RuleConfig, over: RuleConfig): RuleConfig {
  const merged: Record<string, RuleOptions> = { ...base };
  for (const [id, options] of Object.entries(over)) {
    const severity = options.severity ?? base[id]?.severity;
    const thresholds = { ...base[id]?.thresholds, ...options.thresholds };
    merged[id] = severity === undefined ? { thresholds } : { severity, thresholds };
  }
  return merged;
}
