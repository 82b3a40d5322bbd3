/**
 * Entry point for the Node extension host (desktop and remote).
 */
import * as vscode from 'vscode';
import { pythonModuleOf } from '../node/python-module';
import { createNodeWasmLoader } from '../node/wasm-loader';
import { activateNormLens } from './activate';

export function activate(context: vscode.ExtensionContext): void {
  activateNormLens(context, {
    loadWasm: createNodeWasmLoader(context.asAbsolutePath('dist/wasm')),
    pythonModule: async (uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      // Only local files have folders to look at; package lookup stops at the workspace folder.
      return uri.scheme === 'file' && folder ? pythonModuleOf(uri.fsPath, folder.uri.fsPath) : {};
    },
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
