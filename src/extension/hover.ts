/**
 * Hover on a normalization call: the core's explanation plus command links.
 */
import * as vscode from 'vscode';
import {
  findingsOnSite,
  hoverMarkdown,
  siteAt,
  smallestTrainingBatch,
  textRangeOf,
  type FileReport,
  type NormSite,
  type PanelPreset,
} from '../core/index';
import { toPosition, toRange } from './convert';
import { documentLocator, SOURCE_SELECTOR } from './languages';
import type { DocumentReports } from './reports';
import { SHOW_RULE_DOCS } from './rule-docs';

/** Registers the hover provider for the languages NormLens analyses. */
export function registerHover(reports: DocumentReports): vscode.Disposable {
  return vscode.languages.registerHoverProvider(SOURCE_SELECTOR, {
    async provideHover(document, position, token) {
      const report = await reports.get(document);
      if (token.isCancellationRequested) {
        return undefined;
      }
      const locate = documentLocator(document, report);
      const site = siteAt(report, toPosition(position), locate);
      const range = site && textRangeOf(site.location, locate);
      if (!site || !range) {
        return undefined;
      }
      const findings = findingsOnSite(report, site);
      const markdown = new vscode.MarkdownString(hoverMarkdown(site, findings));
      markdown.isTrusted = { enabledCommands: ['normLens.openPanel', SHOW_RULE_DOCS] };
      const links = [
        `[Visualize in panel](${panelCommandUri(site, report)})`,
        ...[...new Set(findings.map((finding) => finding.rule))].map(
          (rule) => `[Rule docs: ${rule}](${ruleDocsCommandUri(rule)})`,
        ),
      ];
      markdown.appendMarkdown(`\n\n${links.join(' · ')}`);
      return new vscode.Hover(markdown, toRange(site.nameRange ?? range));
    },
  });
}

/** A command link that opens the panel pre-filled with this layer and the file's batch size. */
function panelCommandUri(site: NormSite, report: FileReport): string {
  const channels = site.params['num_features']?.value ?? site.params['num_channels']?.value;
  const eps = site.params['eps']?.value;
  const batch = smallestTrainingBatch(report.context.batchSizes)?.value;
  const preset: PanelPreset = {
    kind: site.kind,
    variant: site.variant,
    ...(typeof channels === 'number' ? { channels } : {}),
    ...(typeof eps === 'number' ? { eps } : {}),
    ...(batch === undefined ? {} : { batch }),
  };
  return `command:normLens.openPanel?${encodeURIComponent(JSON.stringify([preset]))}`;
}

/** A command link that opens a rule's documentation page. */
function ruleDocsCommandUri(rule: string): string {
  return `command:${SHOW_RULE_DOCS}?${encodeURIComponent(JSON.stringify([rule]))}`;
}
