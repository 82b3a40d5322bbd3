/**
 * The command table: id → handler. Each handler returns a value so tests can check what it did.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../core/index';
import type { Ctx } from './ctx';
import { showModelInventory, SHOW_MODEL_INVENTORY } from './model-inventory/model-json';
import { analyzeModel } from './model-inventory/pick-model';
import { DocumentReports } from './reports';
import { NormPanel } from './panel';
import { showRuleDocs, SHOW_RULE_DOCS } from './rule-docs';

type Handler = (...args: unknown[]) => unknown;

/** Registers every command. */
export function registerCommands(ctx: Ctx): vscode.Disposable {
  const table: Readonly<Record<string, Handler>> = {
    'normLens.analyzeFile': () => analyzeActiveFile(ctx),
    'normLens.openPanel': (preset?: unknown) => NormPanel.show(ctx.extensionUri, ctx.log, preset),
    'normLens.analyzeModel': (target?: unknown) => analyzeModel(target),
    [SHOW_MODEL_INVENTORY]: (target?: unknown) =>
      showModelInventory(ctx.extensionUri, ctx.log, ctx.platform, target),
    'normLens.analyzeWorkspace': (folder?: unknown) => analyzeFolder(ctx, folder),
    'normLens.analyzeFolder': (folder?: unknown) => analyzeFolder(ctx, folder),
    'normLens.stopWorkspaceAnalysis': () => ctx.workspace.cancel(),
    [SHOW_RULE_DOCS]: (target?: unknown) => showRuleDocs(ctx.extensionUri, ctx.log, target),
    'normLens.groupByRule': () => ctx.tree.groupBy('rule'),
    'normLens.groupByFile': () => ctx.tree.groupBy('file'),
  };
  return vscode.Disposable.from(
    ...Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  );
}

/** Analyses the active editor's file, shows it in the NormLens view and returns the report. */
async function analyzeActiveFile(ctx: Ctx): Promise<FileReport | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !DocumentReports.handlesDocument(document)) {
    void vscode.window.showInformationMessage(
      'NormLens: open a Python, JavaScript/TypeScript or model.json file to analyze it.',
    );
    return undefined;
  }
  const report = await ctx.reports.get(document);
  ctx.tree.setReport(document.uri, report);
  await vscode.commands.executeCommand('normLens.findings.focus');
  const { sites, findings } = report;
  void vscode.window.showInformationMessage(
    `NormLens: ${sites.length} normalization site${sites.length === 1 ? '' : 's'}, ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${vscode.workspace.asRelativePath(document.uri)}.`,
  );
  return report;
}

/** Analyses `folder` (from the Explorer's context menu, or a caller), or the whole workspace. */
function analyzeFolder(ctx: Ctx, folder: unknown): Promise<unknown> {
  return ctx.workspace.run(folder instanceof vscode.Uri ? folder : undefined);
}
