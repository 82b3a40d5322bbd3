/**
 * The status-bar item: how many NormLens findings the active file has (or why it was skipped).
 * Clicking it runs "Analyze Current File", which lists them in the NormLens view.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../core/index';
import { DocumentReports } from './reports';

/** What the item shows, for the extension's API (tests read it from there). */
export interface StatusView {
  readonly visible: boolean;
  readonly text: string;
  readonly tooltip: string;
}

/** The status-bar item, kept in step with the active editor and its report. */
export class FindingsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'normLens.status',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly subscriptions: vscode.Disposable[];
  private shown: StatusView = { visible: false, text: '', tooltip: '' };

  constructor(private readonly reports: DocumentReports) {
    this.item.name = 'NormLens';
    this.item.command = 'normLens.analyzeFile';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      reports.onDidChange(({ document, report }) => {
        if (vscode.window.activeTextEditor?.document === document) {
          this.show(document, report);
        }
      }),
    ];
    this.follow(vscode.window.activeTextEditor);
  }

  /** What the item shows now. */
  get view(): StatusView {
    return this.shown;
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.item.dispose();
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    const document = editor?.document;
    if (!document || !DocumentReports.handlesDocument(document)) {
      this.item.hide();
      this.shown = { visible: false, text: '', tooltip: '' };
      return;
    }
    void this.reports.get(document).then((report) => {
      if (vscode.window.activeTextEditor?.document === document) {
        this.show(document, report);
      }
    });
  }

  private show(document: vscode.TextDocument, report: FileReport): void {
    const { text, tooltip } = statusOf(report, vscode.workspace.asRelativePath(document.uri));
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
    this.shown = { visible: true, text, tooltip };
  }
}

/** The item's text and tooltip for a file's report. */
function statusOf(report: FileReport, file: string): { text: string; tooltip: string } {
  const limit = report.errors.find((error) => error.kind === 'limit');
  if (limit && report.sites.length === 0) {
    return { text: '$(circle-slash) NormLens: skipped', tooltip: limit.message };
  }
  const { findings } = report;
  const by = (severity: string): number => findings.filter((f) => f.severity === severity).length;
  const parts = [
    [by('error'), 'error'],
    [by('warning'), 'warning'],
    [by('info') + by('hint'), 'info'],
  ] as const;
  const detail = parts
    .filter(([n]) => n > 0)
    .map(([n, noun]) => `${n} ${noun}${n === 1 || noun === 'info' ? '' : 's'}`)
    .join(', ');
  const icon = by('error') > 0 ? '$(error)' : findings.length > 0 ? '$(warning)' : '$(check)';
  const noun = `finding${findings.length === 1 ? '' : 's'}`;
  return {
    text: `${icon} NormLens: ${findings.length}`,
    tooltip:
      `${findings.length} NormLens ${noun} in ${file}` +
      (detail ? ` (${detail})` : '') +
      ` · ${report.sites.length} normalization site${report.sites.length === 1 ? '' : 's'}. ` +
      'Click to list them in the NormLens view.',
  };
}
