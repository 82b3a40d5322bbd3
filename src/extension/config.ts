/**
 * Typed getters over the `normLens.*` settings.
 */
import * as vscode from 'vscode';
import type { RuleConfig, Severity } from '../core/index';

const SECTION = 'normLens';

/** Whether diagnostics are published as files are opened and edited. */
export function diagnosticsEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('diagnostics.enable', true);
}

/** Files larger than this (in KB) are skipped with a visible note. */
export function maxFileSizeKB(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('maxFileSizeKB', 2048);
}

/** Models larger than this (in MB) are skipped by workspace analysis, with a visible note. */
export function maxModelSizeMB(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('workspace.maxModelSizeMB', 1024);
}

/** A workspace analysis covers at most this many files. */
export function maxWorkspaceFiles(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('workspace.maxFiles', 20000);
}

/** Globs (relative to a workspace folder) that workspace analysis skips. */
export function workspaceExcludes(): string[] {
  const globs = vscode.workspace.getConfiguration(SECTION).get<unknown>('workspace.exclude', []);
  return Array.isArray(globs)
    ? globs.filter((glob: unknown): glob is string => typeof glob === 'string')
    : [];
}

/** Whether `normlens.json` / `pyproject.toml` settings apply in the editor. */
export function projectSettingsEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('projectSettings.enable', true);
}

/** Delay between the last edit and re-analysis, in milliseconds. */
export function debounceMs(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('diagnostics.debounceMs', 300);
}

/** Rule options from `normLens.rules.<id>.severity` and `normLens.rules.<id>.<threshold>`. */
export function ruleConfig(): RuleConfig {
  const rules = vscode.workspace
    .getConfiguration(SECTION)
    .get<Record<string, unknown>>('rules', {});
  const config: Record<
    string,
    { severity?: Severity | 'off'; thresholds?: Record<string, number> }
  > = {};
  for (const [id, value] of Object.entries(rules)) {
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    const thresholds: Record<string, number> = {};
    let severity: Severity | 'off' | undefined;
    for (const [key, setting] of Object.entries(value)) {
      if (key === 'severity' && isSeverity(setting)) {
        severity = setting;
      } else if (typeof setting === 'number') {
        thresholds[key] = setting;
      }
    }
    config[id] = severity === undefined ? { thresholds } : { severity, thresholds };
  }
  return config;
}

function isSeverity(value: unknown): value is Severity | 'off' {
  return (
    value === 'error' ||
    value === 'warning' ||
    value === 'info' ||
    value === 'hint' ||
    value === 'off'
  );
}
