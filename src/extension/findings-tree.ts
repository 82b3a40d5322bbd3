/**
 * The "NormLens" tree in the Explorer, grouped by file (file → sites → findings) or by rule
 * (rule → findings in every file). Selecting an item jumps to it. The grouping is a toggle in the
 * view's title bar, remembered across sessions.
 */
import * as vscode from 'vscode';
import {
  findingsOnSite,
  formatValue,
  ruleById,
  RULES,
  type AnalysisError,
  type FileReport,
  type Finding,
  type NormSite,
  type SourceRange,
} from '../core/index';
import { toRange, toSeverity } from './convert';

/** How the tree groups findings. */
export type Grouping = 'file' | 'rule';

/** The context key the title-bar toggle reads. */
const GROUPING_CONTEXT = 'normLens.findingsGroupBy';
const GROUPING_STATE = 'normLens.findings.groupBy';

type Item =
  | { readonly type: 'file'; readonly uri: vscode.Uri; readonly report: FileReport }
  | {
      readonly type: 'site';
      readonly uri: vscode.Uri;
      readonly site: NormSite;
      readonly findings: readonly Finding[];
    }
  | { readonly type: 'finding'; readonly uri: vscode.Uri; readonly finding: Finding }
  | { readonly type: 'note'; readonly uri: vscode.Uri; readonly error: AnalysisError }
  | { readonly type: 'rule'; readonly rule: string; readonly hits: readonly Hit[] };

/** A finding and the file it is in. */
interface Hit {
  readonly uri: vscode.Uri;
  readonly finding: Finding;
}

/** Errors worth a line in the tree: size limits, unreadable or corrupt files. */
const NOTE_KINDS = new Set(['limit', 'internal', 'invalid']);

/** Tree data for the analysed files. */
export class FindingsTree implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly files = new Map<string, { uri: vscode.Uri; report: FileReport }>();
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  private grouping: Grouping;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    this.grouping = state.get<Grouping>(GROUPING_STATE) === 'rule' ? 'rule' : 'file';
    void vscode.commands.executeCommand('setContext', GROUPING_CONTEXT, this.grouping);
  }

  /** The current grouping. */
  get groupedBy(): Grouping {
    return this.grouping;
  }

  /** Switches the grouping and remembers it. */
  async groupBy(grouping: Grouping): Promise<Grouping> {
    this.grouping = grouping;
    this.changed.fire(undefined);
    await Promise.all([
      this.state.update(GROUPING_STATE, grouping),
      vscode.commands.executeCommand('setContext', GROUPING_CONTEXT, grouping),
    ]);
    return grouping;
  }

  /** Shows (or replaces) the report of one file. */
  setReport(uri: vscode.Uri, report: FileReport): void {
    this.files.set(uri.toString(), { uri, report });
    this.changed.fire(undefined);
  }

  /** Replaces the report of a file the tree already shows (an edit in an open editor). */
  updateReport(uri: vscode.Uri, report: FileReport): void {
    if (this.files.has(uri.toString())) {
      this.setReport(uri, report);
    }
  }

  /** Removes `uri` and every file under it (deleted from disk). */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const prefix = key.replace(/\/?$/, '/');
    const before = this.files.size;
    for (const file of [...this.files.keys()]) {
      if (file === key || file.startsWith(prefix)) {
        this.files.delete(file);
      }
    }
    if (this.files.size !== before) {
      this.changed.fire(undefined);
    }
  }

  /**
   * Shows the reports of a workspace analysis. Files with nothing to show are left out, so a
   * large workspace lists only what matters. With `replace`, every file under `scope` (or in the
   * whole tree) that is not in `reports` is removed, since a complete scan did not find it.
   */
  setWorkspaceReports(
    reports: readonly (readonly [vscode.Uri, FileReport])[],
    scope: vscode.Uri | undefined,
    replace: boolean,
  ): void {
    const prefix = scope?.toString().replace(/\/?$/, '/');
    if (replace) {
      for (const key of [...this.files.keys()]) {
        if (prefix === undefined || key.startsWith(prefix)) {
          this.files.delete(key);
        }
      }
    }
    for (const [uri, report] of reports) {
      if (report.sites.length > 0 || report.findings.length > 0 || notesOf(report).length > 0) {
        this.files.set(uri.toString(), { uri, report });
      } else {
        this.files.delete(uri.toString());
      }
    }
    this.changed.fire(undefined);
  }

  getChildren(item?: Item): Item[] {
    if (!item) {
      return this.grouping === 'rule' ? this.ruleGroups() : this.fileItems();
    }
    switch (item.type) {
      case 'file':
        return [
          ...notesOf(item.report).map((error): Item => ({ type: 'note', uri: item.uri, error })),
          ...item.report.sites.map((site): Item => ({
            type: 'site',
            uri: item.uri,
            site,
            findings: findingsOnSite(item.report, site),
          })),
        ];
      case 'site':
        return item.findings.map((finding) => ({ type: 'finding', uri: item.uri, finding }));
      case 'rule':
        return item.hits.map(({ uri, finding }) => ({ type: 'finding', uri, finding }));
      default:
        return [];
    }
  }

  getTreeItem(item: Item): vscode.TreeItem {
    switch (item.type) {
      case 'file':
        return fileTreeItem(item.uri, item.report);
      case 'site':
        return siteTreeItem(item.uri, item.site, item.findings.length);
      case 'finding':
        return findingTreeItem(item.uri, item.finding, this.grouping);
      case 'note': {
        const tree = new vscode.TreeItem(item.error.message);
        tree.iconPath = new vscode.ThemeIcon('info');
        tree.tooltip = item.error.message;
        return tree;
      }
      case 'rule':
        return ruleTreeItem(item.rule, item.hits);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }

  private fileItems(): Item[] {
    return [...this.files.values()]
      .sort((a, b) => compare(a.uri.path, b.uri.path))
      .map(({ uri, report }) => ({ type: 'file', uri, report }));
  }

  /** One group per rule with findings, in catalog order, each listing its findings by file. */
  private ruleGroups(): Item[] {
    const byRule = new Map<string, Hit[]>();
    for (const { uri, report } of [...this.files.values()].sort((a, b) =>
      compare(a.uri.path, b.uri.path),
    )) {
      for (const finding of report.findings) {
        const hits = byRule.get(finding.rule) ?? [];
        hits.push({ uri, finding });
        byRule.set(finding.rule, hits);
      }
    }
    const order = (rule: string): number => {
      const index = RULES.findIndex((known) => known.id === rule);
      return index < 0 ? RULES.length : index;
    };
    return [...byRule.entries()]
      .sort(([a], [b]) => order(a) - order(b) || compare(a, b))
      .map(([rule, hits]) => ({ type: 'rule', rule, hits }));
  }
}

function fileTreeItem(uri: vscode.Uri, report: FileReport): vscode.TreeItem {
  const tree = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Expanded);
  const { sites, findings } = report;
  const notes = notesOf(report);
  tree.description =
    notes.length > 0 && sites.length === 0
      ? 'not analysed (see note)'
      : `${count(sites.length, 'site')}, ${count(findings.length, 'finding')}`;
  return tree;
}

function siteTreeItem(uri: vscode.Uri, site: NormSite, findings: number): vscode.TreeItem {
  const tree = new vscode.TreeItem(
    site.variant,
    findings > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  tree.description = siteDescription(site);
  tree.iconPath = new vscode.ThemeIcon('symbol-function');
  tree.command = revealCommand(
    uri,
    site.location.type === 'text' ? site.location.range : undefined,
  );
  return tree;
}

function findingTreeItem(uri: vscode.Uri, finding: Finding, grouping: Grouping): vscode.TreeItem {
  const range = finding.location.type === 'text' ? finding.location.range : undefined;
  // Under a rule, where the finding is leads (a narrow view cuts the description off).
  const where = `${vscode.workspace.asRelativePath(uri)}${range ? `:${range.start.line + 1}` : ''}`;
  const tree = new vscode.TreeItem(
    grouping === 'rule' ? where : `${finding.rule}: ${finding.message}`,
  );
  if (grouping === 'rule') {
    tree.description = finding.message;
  }
  tree.tooltip = finding.message;
  tree.iconPath = severityIcon(finding);
  tree.command = revealCommand(uri, range);
  return tree;
}

function ruleTreeItem(rule: string, hits: readonly Hit[]): vscode.TreeItem {
  // Collapsed: the list of rules with their counts is the overview this grouping is for.
  const tree = new vscode.TreeItem(rule, vscode.TreeItemCollapsibleState.Collapsed);
  const files = new Set(hits.map((hit) => hit.uri.toString())).size;
  tree.description = `${count(hits.length, 'finding')} in ${count(files, 'file')}`;
  tree.tooltip = ruleById(rule)?.title ?? rule;
  tree.iconPath = new vscode.ThemeIcon('law');
  // The inline "Show Rule Documentation" action reads the rule id from the context value.
  tree.contextValue = 'normLens.rule';
  tree.id = `rule:${rule}`;
  return tree;
}

function notesOf(report: FileReport): AnalysisError[] {
  return report.errors.filter((error) => NOTE_KINDS.has(error.kind ?? 'syntax'));
}

function siteDescription(site: NormSite): string {
  const line =
    site.location.type === 'text'
      ? `line ${site.location.range.start.line + 1}`
      : site.location.nodes.join(', ');
  const params = Object.entries(site.params)
    .slice(0, 3)
    .map(([name, param]) => `${name}=${formatValue(param.value, site.framework)}`)
    .join(' ');
  return `${line} · ${params}`;
}

function revealCommand(uri: vscode.Uri, range: SourceRange | undefined): vscode.Command {
  const options: vscode.TextDocumentShowOptions = range ? { selection: toRange(range) } : {};
  return { command: 'vscode.open', title: 'Go to', arguments: [uri, options] };
}

function severityIcon(finding: Finding): vscode.ThemeIcon {
  switch (toSeverity(finding.severity)) {
    case vscode.DiagnosticSeverity.Error:
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case vscode.DiagnosticSeverity.Warning:
      return new vscode.ThemeIcon(
        'warning',
        new vscode.ThemeColor('problemsWarningIcon.foreground'),
      );
    default:
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
