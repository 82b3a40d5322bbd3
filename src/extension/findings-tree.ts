/**
 * The "NormLens" tree in the Explorer: analysed files, their normalization sites, and the findings on
 * each site. Selecting an item jumps to it.
 */
import * as vscode from 'vscode';
import {
  findingsOnSite,
  formatValue,
  type FileReport,
  type Finding,
  type NormSite,
  type SourceRange,
} from '../core/index';
import { toRange, toSeverity } from './convert';

type Item =
  | { readonly type: 'file'; readonly uri: vscode.Uri; readonly report: FileReport }
  | {
      readonly type: 'site';
      readonly uri: vscode.Uri;
      readonly site: NormSite;
      readonly findings: readonly Finding[];
    }
  | { readonly type: 'finding'; readonly uri: vscode.Uri; readonly finding: Finding };

/** Tree data for the analysed files. */
export class FindingsTree implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly files = new Map<string, { uri: vscode.Uri; report: FileReport }>();
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  /** Shows (or replaces) the report of one file. */
  setReport(uri: vscode.Uri, report: FileReport): void {
    this.files.set(uri.toString(), { uri, report });
    this.changed.fire(undefined);
  }

  getChildren(item?: Item): Item[] {
    if (!item) {
      return [...this.files.values()].map(({ uri, report }) => ({ type: 'file', uri, report }));
    }
    if (item.type === 'file') {
      return item.report.sites.map((site) => ({
        type: 'site',
        uri: item.uri,
        site,
        findings: findingsOnSite(item.report, site),
      }));
    }
    if (item.type === 'site') {
      return item.findings.map((finding) => ({ type: 'finding', uri: item.uri, finding }));
    }
    return [];
  }

  getTreeItem(item: Item): vscode.TreeItem {
    switch (item.type) {
      case 'file': {
        const tree = new vscode.TreeItem(item.uri, vscode.TreeItemCollapsibleState.Expanded);
        const { sites, findings } = item.report;
        tree.description = `${count(sites.length, 'site')}, ${count(findings.length, 'finding')}`;
        return tree;
      }
      case 'site': {
        const { site } = item;
        const tree = new vscode.TreeItem(
          site.variant,
          item.findings.length > 0
            ? vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.None,
        );
        tree.description = siteDescription(site);
        tree.iconPath = new vscode.ThemeIcon('symbol-function');
        tree.command = revealCommand(
          item.uri,
          site.location.type === 'text' ? site.location.range : undefined,
        );
        return tree;
      }
      case 'finding': {
        const { finding } = item;
        const tree = new vscode.TreeItem(`${finding.rule}: ${finding.message}`);
        tree.tooltip = finding.message;
        tree.iconPath = severityIcon(finding);
        tree.command = revealCommand(
          item.uri,
          finding.location.type === 'text' ? finding.location.range : undefined,
        );
        return tree;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
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

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
