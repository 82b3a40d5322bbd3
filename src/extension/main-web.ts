/**
 * Entry point for the web extension host (vscode.dev, code-server's browser host): no Node APIs.
 */
import type * as vscode from 'vscode';
import { activateNormLens, type NormLensApi, workspaceFsWasmLoader } from './activate';
import { openThroughWorkspaceFs } from './model-inventory/open-model';

export function activate(context: vscode.ExtensionContext): NormLensApi | undefined {
  return activateNormLens(context, {
    loadWasm: workspaceFsWasmLoader(context.extensionUri),
    // No Node file handles here: models are read whole through workspace.fs.
    openModel: openThroughWorkspaceFs,
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
