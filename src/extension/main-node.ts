/**
 * Entry point for the Node extension host (desktop and remote).
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { emptyReport, type FileReport } from '../core/index';
import type { AnalysisTask, CheckedReport } from '../node/analysis-task';
import { AnalysisWorkers } from '../node/analysis-workers';
import { externalDataFiles, FileByteSource, resolveInside } from '../node/file-byte-source';
import { pythonModuleOf } from '../node/python-module';
import { createNodeWasmLoader } from '../node/wasm-loader';
import { workspaceJobs } from '../node/workspace-workers';
import { activateNormLens, WORKSPACE_FS_FILES, type NormLensApi } from './activate';
import { maxModelSizeMB } from './config';
import { limitOf } from './model-files';
import type { FileSettings } from './analysis-settings';
import { openThroughWorkspaceFs, type OpenedModel } from './model-inventory/open-model';
import type { OffThreadAnalysis } from './workspace-scan/off-thread';

export function activate(context: vscode.ExtensionContext): NormLensApi | undefined {
  return activateNormLens(context, {
    loadWasm: createNodeWasmLoader(context.asAbsolutePath('dist/wasm')),
    offThread: workspaceWorkers(context),
    pythonModule: async (uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      // Only local files have folders to look at; package lookup stops at the workspace folder.
      return uri.scheme === 'file' && folder ? pythonModuleOf(uri.fsPath, folder.uri.fsPath) : {};
    },
    openModel: (uri) =>
      uri.scheme === 'file'
        ? openFile(uri.fsPath)
        : // Other schemes are read whole, so the workspace model limit bounds them.
          openThroughWorkspaceFs(
            uri,
            limitOf({ value: maxModelSizeMB(), origin: 'normLens.workspace.maxModelSizeMB' }),
          ),
    // Local files are checked by their real paths, as the CLI checks them.
    resolveInside: async (folder, location) =>
      folder.scheme === 'file'
        ? vscode.Uri.file(await resolveInside(folder.fsPath, location))
        : undefined,
    files: {
      stat: async (uri) => {
        if (uri.scheme !== 'file') {
          return WORKSPACE_FS_FILES.stat(uri);
        }
        const info = await stat(uri.fsPath);
        return { size: info.size, mtime: info.mtimeMs };
      },
      readFile: async (uri) =>
        uri.scheme === 'file' ? readFile(uri.fsPath) : WORKSPACE_FS_FILES.readFile(uri),
    },
  });
}

/** Reads a local model through a file handle, so a large model is never loaded whole. */
async function openFile(file: string): Promise<OpenedModel> {
  const source = await FileByteSource.open(file);
  const external = externalDataFiles(file);
  return {
    source,
    resolveExternal: external.resolve,
    close: async () => {
      await Promise.all([source.close(), external.close()]);
    },
  };
}

/**
 * The workspace scan's worker threads: the CLI's worker (`dist/cli-worker.js`), started on the
 * first scan and stopped with the extension. Local files go to the workers; other schemes, and a
 * package without the worker script, are analysed in the extension host's thread.
 */
function workspaceWorkers(context: vscode.ExtensionContext): () => OffThreadAnalysis | undefined {
  const workerScript = context.asAbsolutePath('dist/cli-worker.js');
  const wasmFolder = context.asAbsolutePath('dist/wasm');
  let workers: AnalysisWorkers | undefined;
  context.subscriptions.push({ dispose: () => workers?.dispose() });
  return () => {
    const jobs = workspaceJobs(process.env);
    if (jobs === 0 || !existsSync(workerScript)) {
      return undefined;
    }
    if (workers?.jobs !== jobs) {
      workers?.dispose();
      workers = new AnalysisWorkers({ jobs, workerScript, wasmFolder });
    }
    const pool = workers;
    return {
      // Two files per worker: one runs while the next one's message travels.
      concurrency: 2 * jobs,
      analyze: (uri, _language, settings, isCancelled) =>
        uri.scheme === 'file'
          ? pool.analyze(taskOf(uri, settings), isCancelled).then((outcome) => {
              if (outcome?.ioError !== undefined) {
                throw new Error(outcome.ioError);
              }
              return outcome && workspaceReport(outcome.report);
            })
          : undefined,
    };
  };
}

/**
 * A worker's report as a workspace report. Workers send what `normlens check` prints: no fixes
 * (quick fixes come from a file's own analysis once it is opened) and no file context, which only
 * open editors read.
 */
function workspaceReport(report: CheckedReport): FileReport {
  return {
    ...report,
    findings: report.findings.map((finding) => ({ ...finding, fixes: [] })),
    context: emptyReport(report.language).context,
  };
}

/** A worker task for a local file, with the settings the editor resolved for it. */
function taskOf(uri: vscode.Uri, settings: FileSettings): AnalysisTask {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return {
    file: uri.fsPath,
    root: folder?.uri.fsPath ?? path.dirname(uri.fsPath),
    rules: settings.rules,
    maxFileSizeKB: settings.maxFileSizeKB.value,
    maxModelSizeMB: settings.maxModelSizeMB.value,
    ...(settings.torchVersion === undefined ? {} : { torchVersion: settings.torchVersion }),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
