/**
 * Problems entries of a workspace analysis. A file open in an editor is left to the editor's own
 * diagnostics (its live report, or the ONNX editor's), so no finding is listed twice; when it
 * closes, the workspace entry comes back.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../../core/index';
import { toDiagnostics } from '../diagnostics';
import { ONNX_VIEW_TYPE } from '../onnx-editor';

/** The workspace analysis's diagnostic collection. */
export class WorkspaceProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('normlens-workspace');
  private readonly reports = new Map<string, { uri: vscode.Uri; report: FileReport }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly extensionUri: vscode.Uri) {
    const republish = (uri: vscode.Uri): void => this.publish(uri.toString());
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => republish(document.uri)),
      vscode.workspace.onDidCloseTextDocument((document) => republish(document.uri)),
      vscode.window.tabGroups.onDidChangeTabs(({ opened, closed }) => {
        for (const tab of [...opened, ...closed]) {
          if (tab.input instanceof vscode.TabInputCustom) {
            republish(tab.input.uri);
          }
        }
      }),
    ];
  }

  /**
   * Shows `report` for `uri`. Model layers are listed by node name at the top of the file (the
   * editor places them at their definitions once the file is open).
   */
  set(uri: vscode.Uri, report: FileReport): void {
    const key = uri.toString();
    if (toDiagnostics(uri, report, this.extensionUri).length === 0) {
      // Most files have nothing to say; telling the workbench so would cost a message each.
      if (this.reports.delete(key)) {
        this.collection.delete(uri);
      }
      return;
    }
    this.reports.set(key, { uri, report });
    this.publish(key);
  }

  /** Removes the entry of `scope` and every entry under it (or all of them). */
  clear(scope?: vscode.Uri): void {
    const exact = scope?.toString();
    const prefix = exact?.replace(/\/?$/, '/');
    for (const [key, { uri }] of [...this.reports]) {
      if (prefix === undefined || key === exact || key.startsWith(prefix)) {
        this.reports.delete(key);
        this.collection.delete(uri);
      }
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.collection.dispose();
  }

  private publish(key: string): void {
    const entry = this.reports.get(key);
    if (!entry) {
      return;
    }
    const { uri, report } = entry;
    if (openInEditor(key)) {
      this.collection.delete(uri);
      return;
    }
    this.collection.set(uri, toDiagnostics(uri, report, this.extensionUri));
  }
}

/** True when a text editor's document or the ONNX editor has `key` open. */
function openInEditor(key: string): boolean {
  if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === key)) {
    return true;
  }
  return vscode.window.tabGroups.all.some((group) =>
    group.tabs.some(
      (tab) =>
        tab.input instanceof vscode.TabInputCustom &&
        tab.input.viewType === ONNX_VIEW_TYPE &&
        tab.input.uri.toString() === key,
    ),
  );
}
