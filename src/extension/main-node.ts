/**
 * Entry point for the Node extension host (desktop and remote).
 */
import type * as vscode from 'vscode';
import { createNodeWasmLoader } from '../node/wasm-loader';
import { activateNormLens } from './activate';

export function activate(context: vscode.ExtensionContext): void {
  activateNormLens(context, createNodeWasmLoader(context.asAbsolutePath('dist/wasm')));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
