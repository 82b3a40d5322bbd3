/**
 * Publishes findings as diagnostics: code = rule id (linking to its docs page), source = NormLens,
 * related information pointing at each piece of evidence.
 */
import * as vscode from 'vscode';
import type { FileReport, Finding } from '../core/index';
import { diagnosticsEnabled } from './config';
import { toRange, toSeverity } from './convert';
import { DocumentReports } from './reports';

const SOURCE = 'NormLens';

/** Keeps the diagnostic collection in step with the document reports. */
export function registerDiagnostics(
  reports: DocumentReports,
  extensionUri: vscode.Uri,
): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('normlens');
  const publish = (document: vscode.TextDocument, report: FileReport): void => {
    collection.set(
      document.uri,
      diagnosticsEnabled() ? toDiagnostics(document.uri, report, extensionUri) : [],
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
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('normLens')) {
        vscode.workspace.textDocuments.forEach((document) => {
          reports.forget(document);
          analyse(document);
        });
      }
    }),
  );
}

/** The URI of a rule's documentation page, shipped with the extension. */
export function ruleDocsUri(extensionUri: vscode.Uri, rule: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${rule}.md`);
}

function toDiagnostics(
  uri: vscode.Uri,
  report: FileReport,
  extensionUri: vscode.Uri,
): vscode.Diagnostic[] {
  const diagnostics = report.findings.flatMap((finding) => {
    const diagnostic = toDiagnostic(uri, finding, extensionUri);
    return diagnostic ? [diagnostic] : [];
  });
  for (const error of report.errors) {
    if (error.kind === 'limit' || error.kind === 'internal') {
      const note = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        error.message,
        vscode.DiagnosticSeverity.Information,
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
): vscode.Diagnostic | undefined {
  if (finding.location.type !== 'text') {
    return undefined;
  }
  const diagnostic = new vscode.Diagnostic(
    toRange(finding.location.range),
    finding.message,
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
