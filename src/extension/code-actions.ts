/**
 * Quick fixes: each fix a finding carries becomes a code action on its diagnostic.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/index';
import { toRange } from './convert';
import { SOURCE_SELECTOR } from './languages';
import type { DocumentReports } from './reports';

/** Registers the quick-fix provider for the languages NormLens analyses. */
export function registerCodeActions(reports: DocumentReports): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    SOURCE_SELECTOR,
    {
      async provideCodeActions(document, _range, context, token) {
        const ours = context.diagnostics.filter(
          (d) => d.source === 'NormLens' && d.code !== undefined,
        );
        if (ours.length === 0) {
          return [];
        }
        const report = await reports.get(document);
        if (token.isCancellationRequested) {
          return [];
        }
        return ours.flatMap((diagnostic) => {
          const finding = report.findings.find((f) => matches(f, diagnostic));
          return finding ? actionsFor(document, finding, diagnostic) : [];
        });
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}

function matches(finding: Finding, diagnostic: vscode.Diagnostic): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return (
    finding.rule === code &&
    finding.location.type === 'text' &&
    toRange(finding.location.range).isEqual(diagnostic.range)
  );
}

function actionsFor(
  document: vscode.TextDocument,
  finding: Finding,
  diagnostic: vscode.Diagnostic,
): vscode.CodeAction[] {
  return finding.fixes.map((fix) => {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = fix.preferred ?? false;
    action.edit = new vscode.WorkspaceEdit();
    for (const edit of fix.edits) {
      action.edit.replace(document.uri, toRange(edit.range), edit.newText);
    }
    return action;
  });
}
