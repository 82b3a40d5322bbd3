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
import { AnalysisSettings } from './analysis-settings';
import { registerCodeActions } from './code-actions';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { FindingsTree } from './findings-tree';
import { registerHover } from './hover';
import { Log } from './log';
import type { ResolveInside, WorkspaceFiles } from './model-files';
import { registerModelJsonLens } from './model-inventory/model-json';
import type { OpenedModel } from './model-inventory/open-model';
import { registerOnnxEditor } from './onnx-editor';
import { NormPanel } from './panel';
import { ProjectSettingsStore } from './project-settings';
import { DocumentReports } from './reports';
import { FindingsStatus, type StatusView } from './status-bar';
import type { OffThreadAnalysis } from './workspace-scan/off-thread';
import { WorkspaceProblems } from './workspace-scan/problems';
import { WorkspaceScanner } from './workspace-scan/scanner';
import { WorkspaceAnalysis } from './workspace-scan/workspace-analysis';

export { WORKSPACE_FS_FILES, type WorkspaceFiles } from './model-files';

/** What differs between the Node and the web extension host. */
export interface HostPlatform {
  /** Reads a file from the extension's `dist/wasm` folder. */
  readonly loadWasm: WasmLoader;
  /** The module name of a Python file, when the host can look at the folders around it. */
  readonly pythonModule?: (uri: vscode.Uri) => Promise<PythonFileOptions>;
  /** Opens a model file for lazy reading (the ONNX editor). */
  readonly openModel: (uri: vscode.Uri) => Promise<OpenedModel>;
  /**
   * Reads files for workspace analysis. The Node host reads local files directly (a
   * `workspace.fs` call is a round trip through the remote connection in some hosts); the web host
   * uses `workspace.fs`.
   */
  readonly files: WorkspaceFiles;
  /** Where a model's shard or external data really is; the Node host follows local symlinks. */
  readonly resolveInside?: ResolveInside;
  /** Workers for a workspace scan (asked once per scan); absent where there are none. */
  readonly offThread?: () => OffThreadAnalysis | undefined;
}

/** What `activate` returns: read-only views other extensions (and the tests) can use. */
export interface NormLensApi {
  /** What the status-bar item shows for the active file. */
  readonly status: () => StatusView;
}

/** Activates NormLens on `platform`. */
export function activateNormLens(
  context: vscode.ExtensionContext,
  platform: HostPlatform,
): NormLensApi | undefined {
  const started = Date.now();
  const log = new Log();
  context.subscriptions.push(log);
  try {
    const analyzer = new SourceAnalyzer(new ParserFactory(platform.loadWasm));
    const project = new ProjectSettingsStore(log);
    const settings = new AnalysisSettings(project);
    const reports = new DocumentReports(analyzer, settings, log, platform);
    const tree = new FindingsTree(context.globalState);
    const status = new FindingsStatus(reports);
    const problems = new WorkspaceProblems(context.extensionUri);
    const scanner = new WorkspaceScanner({ analyzer, ...platform }, settings, log);
    const workspace = new WorkspaceAnalysis(scanner, problems, tree, settings, log);
    const ctx = { extensionUri: context.extensionUri, log, reports, tree, workspace, platform };
    context.subscriptions.push(
      project,
      settings,
      reports,
      tree,
      status,
      problems,
      workspace,
      vscode.window.createTreeView('normLens.findings', {
        treeDataProvider: tree,
        showCollapseAll: true,
      }),
      reports.onDidChange(({ document, report }) => tree.updateReport(document.uri, report)),
      registerDiagnostics(reports, settings, context.extensionUri),
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
    return { status: () => status.view };
  } catch (error) {
    // VS Code does not show activation failures to the user; say it once, with the cause in the log.
    log.error('activation failed', error);
    void vscode.window.showErrorMessage(`NormLens failed to start: ${String(error)}`);
    return undefined;
  }
}

/** Reads `dist/wasm/<file>` through `workspace.fs` (works in Node, web and remote hosts). */
export function workspaceFsWasmLoader(extensionUri: vscode.Uri): WasmLoader {
  return (fileName) =>
    Promise.resolve(
      vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'wasm', fileName)),
    );
}
