/**
 * The read-only editor for `.onnx` files: the model's normalization inventory in a webview, and its
 * findings in the Problems panel (at 0:0 of the model, naming the nodes) while the model is open.
 * The file is read lazily through the host's `openModel`; weights are read only for "Visualize".
 */
import * as vscode from 'vscode';
import type { FileReport, Finding, SourceAnalyzer } from '../core/index';
import { ruleConfig } from './config';
import { toSeverity } from './convert';
import { ruleDocsUri } from './diagnostics';
import type { Log } from './log';
import { showInventory } from './model-inventory/inventory-view';
import type { OpenedModel } from './model-inventory/open-model';
import { OnnxModelInventory } from './model-inventory/onnx-source';
import { fileName } from './model-inventory/tfjs-source';

/** The custom editor's view type (package.json `customEditors`). */
export const ONNX_VIEW_TYPE = 'normLens.onnxViewer';
const SOURCE = 'NormLens';
/** Node names listed in a Problems message before "and N more". */
const SHOWN_NODES = 4;

/** What the editor needs from the extension. */
export interface OnnxEditorDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly analyzer: SourceAnalyzer;
  readonly openModel: (uri: vscode.Uri) => Promise<OpenedModel>;
}

class OnnxDocument implements vscode.CustomDocument {
  private readonly abort = new AbortController();
  /** Set once every editor of the model has closed. */
  closed = false;
  readonly inventory: OnnxModelInventory;

  constructor(
    readonly uri: vscode.Uri,
    private readonly opened: OpenedModel,
    analyzer: SourceAnalyzer,
    private readonly onDispose: () => void,
  ) {
    this.inventory = new OnnxModelInventory(
      fileName(uri),
      opened,
      analyzer,
      ruleConfig(),
      this.abort.signal,
    );
  }

  dispose(): void {
    this.closed = true;
    this.abort.abort();
    this.onDispose();
    void this.opened.close();
  }
}

/** Registers the custom editor for `*.onnx` and the Problems entries of open models. */
export function registerOnnxEditor(deps: OnnxEditorDeps): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('normlens-onnx');
  const provider: vscode.CustomReadonlyEditorProvider<OnnxDocument> = {
    async openCustomDocument(uri) {
      const opened = await deps.openModel(uri);
      const document = new OnnxDocument(uri, opened, deps.analyzer, () => collection.delete(uri));
      let published = false;
      const publish = (report: FileReport, final: boolean): void => {
        // The structure's findings show at once; the full report (weights checked) replaces them.
        if (!document.closed && (final || !published)) {
          collection.set(uri, toDiagnostics(report, deps.extensionUri));
        }
        published ||= final;
      };
      const failed = (error: unknown): void =>
        deps.log.error(`analysis of ${uri.toString()} failed`, error);
      void document.inventory.structure.then((report) => publish(report, false), failed);
      void document.inventory.report.then((report) => publish(report, true), failed);
      return document;
    },
    resolveCustomEditor(document, panel) {
      const binding = showInventory(panel.webview, deps.extensionUri, deps.log, document.inventory);
      panel.onDidDispose(() => {
        binding.dispose();
      });
    },
  };
  return vscode.Disposable.from(
    collection,
    vscode.window.registerCustomEditorProvider(ONNX_VIEW_TYPE, provider, {
      supportsMultipleEditorsPerDocument: true,
    }),
  );
}

/** Problems entries: one per finding, plus the reason when the model could not be read. */
function toDiagnostics(report: FileReport, extensionUri: vscode.Uri): vscode.Diagnostic[] {
  const top = new vscode.Range(0, 0, 0, 0);
  const diagnostics = report.findings.map((finding) => {
    const diagnostic = new vscode.Diagnostic(
      top,
      `${finding.message} (${nodesText(finding)})`,
      toSeverity(finding.severity),
    );
    diagnostic.source = SOURCE;
    diagnostic.code = { value: finding.rule, target: ruleDocsUri(extensionUri, finding.rule) };
    return diagnostic;
  });
  for (const error of report.errors) {
    const invalid = error.kind === 'invalid';
    const diagnostic = new vscode.Diagnostic(
      top,
      error.message,
      invalid ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Information,
    );
    diagnostic.source = SOURCE;
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function nodesText(finding: Finding): string {
  const nodes = finding.location.type === 'graph' ? finding.location.nodes : [];
  const shown = nodes.slice(0, SHOWN_NODES).join(', ');
  const more = nodes.length > SHOWN_NODES ? ` and ${nodes.length - SHOWN_NODES} more` : '';
  return `${nodes.length === 1 ? 'node' : 'nodes'} ${shown}${more}`;
}
