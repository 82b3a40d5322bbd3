/**
 * model.json support: a "Show normalization inventory" CodeLens at the top of a tfjs model file,
 * and the webview panel it opens (the same inventory view as the ONNX editor).
 */
import * as vscode from 'vscode';
import { isTfjsModelJsonPath } from '../../core/index';
import { maxModelSizeMB, ruleConfig } from '../config';
import type { Log } from '../log';
import type { ModelFileAccess } from '../model-files';
import { showInventory } from './inventory-view';
import { fileName, TfjsModelInventory } from './tfjs-source';

/** The command the CodeLens and the editor title button run. */
export const SHOW_MODEL_INVENTORY = 'normLens.showModelInventory';
const VIEW_TYPE = 'normLens.modelInventory';

/** The open inventory panels, by model URI. */
const panels = new Map<string, vscode.WebviewPanel>();

/** Registers the CodeLens on `*model.json` files. */
export function registerModelJsonLens(): vscode.Disposable {
  const provider: vscode.CodeLensProvider = {
    provideCodeLenses(document) {
      if (!isTfjsModelJsonPath(document.uri.path)) {
        return [];
      }
      return [
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: 'Show normalization inventory',
          command: SHOW_MODEL_INVENTORY,
          arguments: [document.uri],
        }),
      ];
    },
  };
  return vscode.languages.registerCodeLensProvider(
    [{ language: 'json', pattern: '**/*model.json' }],
    provider,
  );
}

/**
 * Opens (or reveals) the inventory of the model.json at `target` (a URI, or the active editor's
 * file). Returns the panel's title, or undefined when there is no model.json to show.
 */
export async function showModelInventory(
  extensionUri: vscode.Uri,
  log: Log,
  access: ModelFileAccess,
  target?: unknown,
): Promise<string | undefined> {
  const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
  if (!uri || !isTfjsModelJsonPath(uri.path)) {
    void vscode.window.showInformationMessage('NormLens: open a TensorFlow.js model.json first.');
    return undefined;
  }
  const title = `Inventory: ${fileName(uri)}`;
  const key = uri.toString();
  const existing = panels.get(key);
  if (existing) {
    existing.reveal();
    return title;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, vscode.ViewColumn.Beside);
  panels.set(key, panel);
  const binding = showInventory(
    panel.webview,
    extensionUri,
    log,
    new TfjsModelInventory(uri, document.getText(), ruleConfig(), access, {
      value: maxModelSizeMB(),
      origin: 'normLens.workspace.maxModelSizeMB',
    }),
  );
  panel.onDidDispose(() => {
    binding.dispose();
    panels.delete(key);
  });
  return title;
}
