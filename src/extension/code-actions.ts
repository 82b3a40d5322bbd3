/**
 * Code actions on NormLens diagnostics: each fix a finding carries, "Fix all <rule> in file" when
 * the rule has fixable findings elsewhere in the file, "Show documentation", and a
 * `source.fixAll.normlens` action that applies every finding's chosen fix.
 */
import * as vscode from 'vscode';
import type { FileReport, Finding, TextEdit } from '../core/index';
import { toRange } from './convert';
import { chosenFix, planFixAll } from './fix-all';
import { SOURCE_SELECTOR } from './languages';
import type { DocumentReports } from './reports';
import { SHOW_RULE_DOCS } from './rule-docs';

/** The kind of the file-wide fix-all action (runs on save with `source.fixAll`). */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('normlens');

/** Registers the code-action provider for the languages NormLens analyses. */
export function registerCodeActions(reports: DocumentReports): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    SOURCE_SELECTOR,
    {
      async provideCodeActions(document, _range, context, token) {
        const ours = context.diagnostics.filter(
          (d) => d.source === 'NormLens' && d.code !== undefined,
        );
        const wantsFixAll = context.only?.contains(FIX_ALL_KIND) ?? false;
        if (ours.length === 0 && !wantsFixAll) {
          return [];
        }
        const report = await reports.get(document);
        if (token.isCancellationRequested) {
          return [];
        }
        if (wantsFixAll) {
          const all = fixAllAction(
            document,
            report.findings,
            'Fix all NormLens findings',
            FIX_ALL_KIND,
          );
          return all ? [all] : [];
        }
        return diagnosticActions(document, report, ours);
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] },
  );
}

/** Quick fixes for the diagnostics under the cursor; per rule, fix-all and docs only once. */
function diagnosticActions(
  document: vscode.TextDocument,
  report: FileReport,
  diagnostics: readonly vscode.Diagnostic[],
): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const rulesDone = new Set<string>();
  for (const diagnostic of diagnostics) {
    const finding = report.findings.find((f) => matches(f, diagnostic));
    if (!finding) {
      continue;
    }
    actions.push(...fixActions(document, finding, diagnostic));
    if (rulesDone.has(finding.rule)) {
      continue;
    }
    rulesDone.add(finding.rule);
    const sameRule = report.findings.filter((f) => f.rule === finding.rule);
    // Worth offering only when it does more than this diagnostic's own quick fix.
    if (sameRule.filter((f) => chosenFix(f)).length > 1) {
      const all = fixAllAction(
        document,
        sameRule,
        `Fix all ${finding.rule} in file`,
        vscode.CodeActionKind.QuickFix,
      );
      if (all) {
        all.diagnostics = diagnostics.filter((d) => ruleOf(d) === finding.rule);
        actions.push(all);
      }
    }
    const docs = new vscode.CodeAction(
      `Show documentation for ${finding.rule}`,
      vscode.CodeActionKind.QuickFix,
    );
    docs.command = { command: SHOW_RULE_DOCS, title: docs.title, arguments: [finding.rule] };
    docs.diagnostics = [diagnostic];
    actions.push(docs);
  }
  return actions;
}

function ruleOf(diagnostic: vscode.Diagnostic): unknown {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}

function matches(finding: Finding, diagnostic: vscode.Diagnostic): boolean {
  return (
    finding.rule === ruleOf(diagnostic) &&
    finding.location.type === 'text' &&
    toRange(finding.location.range).isEqual(diagnostic.range)
  );
}

function fixActions(
  document: vscode.TextDocument,
  finding: Finding,
  diagnostic: vscode.Diagnostic,
): vscode.CodeAction[] {
  return finding.fixes.map((fix) => {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = fix.preferred ?? false;
    action.edit = workspaceEdit(document.uri, fix.edits);
    return action;
  });
}

/** One action applying the chosen fix of every finding in `findings`, or none if none has one. */
function fixAllAction(
  document: vscode.TextDocument,
  findings: readonly Finding[],
  title: string,
  kind: vscode.CodeActionKind,
): vscode.CodeAction | undefined {
  const plan = planFixAll(findings);
  if (plan.fixed === 0) {
    return undefined;
  }
  const action = new vscode.CodeAction(
    plan.skipped > 0 ? `${title} (${plan.skipped} overlapping skipped)` : title,
    kind,
  );
  action.edit = workspaceEdit(document.uri, plan.edits);
  return action;
}

function workspaceEdit(uri: vscode.Uri, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const { range, newText } of edits) {
    edit.replace(uri, toRange(range), newText);
  }
  return edit;
}
