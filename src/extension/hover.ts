/**
 * Hover on a normalization call: the core's explanation plus command links.
 */
import * as vscode from 'vscode';
import { findingsOnSite, hoverMarkdown, siteAt, type NormSite } from '../core/index';
import { toPosition, toRange } from './convert';
import type { DocumentReports } from './reports';

/** Registers the hover provider for the languages NormLens analyses. */
export function registerHover(reports: DocumentReports): vscode.Disposable {
  return vscode.languages.registerHoverProvider([{ language: 'python' }], {
    async provideHover(document, position, token) {
      const report = await reports.get(document);
      if (token.isCancellationRequested) {
        return undefined;
      }
      const site = siteAt(report, toPosition(position));
      if (site?.location.type !== 'text') {
        return undefined;
      }
      const markdown = new vscode.MarkdownString(hoverMarkdown(site, findingsOnSite(report, site)));
      markdown.isTrusted = { enabledCommands: ['normLens.openPanel'] };
      markdown.appendMarkdown(`\n\n[Visualize in panel](${panelCommandUri(site)})`);
      return new vscode.Hover(markdown, toRange(site.nameRange ?? site.location.range));
    },
  });
}

function panelCommandUri(site: NormSite): string {
  const args = [{ kind: site.kind, variant: site.variant }];
  return `command:normLens.openPanel?${encodeURIComponent(JSON.stringify(args))}`;
}
