/**
 * Wiring only: builds the shared services and registers each feature. Both entry points (Node and
 * web) call this with the way their host reads the `.wasm` files.
 */
import * as vscode from 'vscode';
import {
  ParserFactory,
  SourceAnalyzer,
  type PythonFileOptions,
  type WasmLoader,
} from '../core/index';
import { registerCodeActions } from './code-actions';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { FindingsTree } from './findings-tree';
import { registerHover } from './hover';
import { Log } from './log';
import { registerModelJsonLens } from './model-inventory/model-json';
import type { OpenedModel } from './model-inventory/open-model';
import { registerOnnxEditor } from './onnx-editor';
import { NormPanel } from './panel';
import { DocumentReports } from './reports';

/** What differs between the Node and the web extension host. */
export interface HostPlatform {
  /** Reads a file from the extension's `dist/wasm` folder. */
  readonly loadWasm: WasmLoader;
  /** The module name of a Python file, when the host can look at the folders around it. */
  readonly pythonModule?: (uri: vscode.Uri) => Promise<PythonFileOptions>;
  /** Opens a model file for lazy reading (the ONNX editor). */
  readonly openModel: (uri: vscode.Uri) => Promise<OpenedModel>;
}

/** Activates NormLens on `platform`. */
export function activateNormLens(context: vscode.ExtensionContext, platform: HostPlatform): void {
  const started = Date.now();
  const log = new Log();
  context.subscriptions.push(log);
  try {
    const analyzer = new SourceAnalyzer(new ParserFactory(platform.loadWasm));
    const reports = new DocumentReports(analyzer, log, platform.pythonModule);
    const tree = new FindingsTree();
    const ctx = { extensionUri: context.extensionUri, log, reports, tree };
    context.subscriptions.push(
      reports,
      tree,
      vscode.window.registerTreeDataProvider('normLens.findings', tree),
      registerDiagnostics(reports, context.extensionUri),
      registerHover(reports),
      registerCodeActions(reports),
      registerCommands(ctx),
      registerOnnxEditor({
        extensionUri: context.extensionUri,
        log,
        analyzer,
        openModel: platform.openModel,
      }),
      registerModelJsonLens(),
      NormPanel.registerSerializer(context.extensionUri, log),
    );
    log.info(`NormLens activated in ${Date.now() - started} ms`);
  } catch (error) {
    // VS Code does not show activation failures to the user; say it once, with the cause in the log.
    log.error('activation failed', error);
    void vscode.window.showErrorMessage(`NormLens failed to start: ${String(error)}`);
  }
}

/** Reads `dist/wasm/<file>` through `workspace.fs` (works in Node, web and remote hosts). */
export function workspaceFsWasmLoader(extensionUri: vscode.Uri): WasmLoader {
  return (fileName) =>
    Promise.resolve(
      vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'wasm', fileName)),
    );
}
