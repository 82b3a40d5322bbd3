/**
 * Publishes findings as diagnostics: code = rule id (linking to its docs page), source = NormLens,
 * related information pointing at each piece of evidence.
 */
import * as vscode from 'vscode';
import { textRangeOf, type FileReport, type Finding, type Locator } from '../core/index';
import type { AnalysisSettings } from './analysis-settings';
import { documentLocator } from './languages';
import { diagnosticsEnabled } from './config';
import { toRange, toSeverity } from './convert';
import { DocumentReports } from './reports';

const SOURCE = 'NormLens';

/** Keeps the diagnostic collection in step with the document reports. */
export function registerDiagnostics(
  reports: DocumentReports,
  settings: AnalysisSettings,
  extensionUri: vscode.Uri,
): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('normlens');
  const publish = (document: vscode.TextDocument, report: FileReport): void => {
    const locate = documentLocator(document, report);
    collection.set(
      document.uri,
      diagnosticsEnabled() ? toDiagnostics(document.uri, report, extensionUri, locate) : [],
    );
  };
  const analyse = (document: vscode.TextDocument): void => {
    if (DocumentReports.handlesDocument(document)) {
      void reports.get(document);
    }
  };
  vscode.workspace.textDocuments.forEach(analyse);
  return vscode.Disposable.from(
    collection,
    reports.onDidChange(({ document, report }) => publish(document, report)),
    vscode.workspace.onDidOpenTextDocument(analyse),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (DocumentReports.handlesDocument(event.document) && event.contentChanges.length > 0) {
        reports.schedule(event.document);
      }
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      reports.forget(document);
      collection.delete(document.uri);
    }),
    settings.onDidChange(() => {
      vscode.workspace.textDocuments.forEach((document) => {
        reports.forget(document);
        analyse(document);
      });
    }),
  );
}

/** The URI of a rule's documentation page, shipped with the extension. */
export function ruleDocsUri(extensionUri: vscode.Uri, rule: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${rule}.md`);
}

/**
 * Diagnostics for a report. Graph findings (model layers) are placed where `locate` finds their
 * nodes in the document, or at its start with the node names in the message.
 */
export function toDiagnostics(
  uri: vscode.Uri,
  report: FileReport,
  extensionUri: vscode.Uri,
  locate?: Locator,
): vscode.Diagnostic[] {
  const diagnostics = report.findings.map((finding) =>
    toDiagnostic(uri, finding, extensionUri, locate),
  );
  for (const error of report.errors) {
    if (error.kind === 'limit' || error.kind === 'internal' || error.kind === 'invalid') {
      const note = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        error.message,
        error.kind === 'invalid'
          ? vscode.DiagnosticSeverity.Error
          : vscode.DiagnosticSeverity.Information,
      );
      note.source = SOURCE;
      diagnostics.push(note);
    }
  }
  return diagnostics;
}

function toDiagnostic(
  uri: vscode.Uri,
  finding: Finding,
  extensionUri: vscode.Uri,
  locate?: Locator,
): vscode.Diagnostic {
  const range = textRangeOf(finding.location, locate);
  const nodes =
    finding.location.type === 'graph' && !range ? `[${finding.location.nodes.join(', ')}] ` : '';
  const diagnostic = new vscode.Diagnostic(
    range ? toRange(range) : new vscode.Range(0, 0, 0, 0),
    nodes + finding.message,
    toSeverity(finding.severity),
  );
  diagnostic.source = SOURCE;
  diagnostic.code = { value: finding.rule, target: ruleDocsUri(extensionUri, finding.rule) };
  diagnostic.relatedInformation = finding.related.flatMap((evidence) =>
    evidence.range
      ? [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(uri, toRange(evidence.range)),
            evidence.message,
          ),
        ]
      : [],
  );
  return diagnostic;
}
