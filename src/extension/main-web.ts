/**
 * Entry point for the web extension host (vscode.dev, code-server's browser host): no Node APIs.
 */
import * as vscode from 'vscode';
import {
  activateNormLens,
  WORKSPACE_FS_FILES,
  workspaceFsWasmLoader,
  type NormLensApi,
} from './activate';
import { openThroughWorkspaceFs, type OpenedModel } from './model-inventory/open-model';

/**
 * The largest model the web host opens. It has no file handles, so a model is read whole into the
 * browser's memory, and copied once more on its way from the main thread to the worker.
 */
const MAX_MODEL_MB = 512;

export function activate(context: vscode.ExtensionContext): NormLensApi | undefined {
  return activateNormLens(context, {
    loadWasm: workspaceFsWasmLoader(context.extensionUri),
    openModel: openWholeModel,
    files: WORKSPACE_FS_FILES,
  });
}

/**
 * Opens a model through `workspace.fs`. A model too big to hold in memory is not read at all: its
 * reads fail with the reason, so the editor and the Problems panel say why it was not analysed.
 */
async function openWholeModel(uri: vscode.Uri): Promise<OpenedModel> {
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size <= MAX_MODEL_MB * 1024 * 1024) {
    // External data is read whole too, so each file of it is held to the same limit.
    return openThroughWorkspaceFs(uri, {
      bytes: MAX_MODEL_MB * 1024 * 1024,
      describe: `the ${MAX_MODEL_MB} MB NormLens reads whole in the browser`,
    });
  }
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const reason =
    `${name} is ${Math.round(size / (1024 * 1024))} MB: NormLens in the browser reads a model ` +
    `whole and opens models up to ${MAX_MODEL_MB} MB. Open it in VS Code desktop or a remote ` +
    `window (SSH, WSL, container, code-server), where NormLens reads only the parts it needs.`;
  return {
    source: { size, read: () => Promise.reject(new Error(reason)) },
    close: () => Promise.resolve(),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
