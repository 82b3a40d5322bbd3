/**
 * "NormLens: Show Rule Documentation": a quick pick over the rule registry that opens the rule's
 * page (docs/rules/<id>.md, shipped inside the extension) in the Markdown preview.
 */
import * as vscode from 'vscode';
import { ruleById, RULES } from '../core/index';
import { ruleDocsUri } from './diagnostics';
import type { Log } from './log';

/** The command id; hover links and code actions pass a rule id, tree items their rule group. */
export const SHOW_RULE_DOCS = 'normLens.showRuleDocs';

/**
 * Opens the documentation of `target` (a rule id or a tree item naming a rule), or of the rule
 * the user picks. Returns the rule id shown, or undefined when nothing was picked.
 */
export async function showRuleDocs(
  extensionUri: vscode.Uri,
  log: Log,
  target?: unknown,
): Promise<string | undefined> {
  const rule = ruleIdOf(target) ?? (await pickRule());
  if (!rule) {
    return undefined;
  }
  const page = ruleDocsUri(extensionUri, rule);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', page);
  } catch (error) {
    // Without the built-in Markdown extension (it can be disabled) the page opens as text.
    log.error(`Markdown preview of ${page.toString()} failed; opening it as text`, error);
    await vscode.window.showTextDocument(page);
  }
  return rule;
}

function ruleIdOf(target: unknown): string | undefined {
  const id =
    typeof target === 'string'
      ? target
      : typeof target === 'object' && target !== null && 'rule' in target
        ? target.rule
        : undefined;
  return typeof id === 'string' && ruleById(id) ? id : undefined;
}

async function pickRule(): Promise<string | undefined> {
  const items = RULES.map((rule) => ({
    label: rule.id,
    description: `${rule.catalogId} · ${rule.defaultSeverity}`,
    detail: rule.title,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'NormLens: Show Rule Documentation',
    placeHolder: 'Pick a rule (type an id, a NORM number or words of its title)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.label;
}
