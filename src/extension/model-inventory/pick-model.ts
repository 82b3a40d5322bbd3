/**
 * "NormLens: Analyze ONNX Model…": picks a `.onnx` file (the model open in the active editor
 * first, then the workspace's models) and opens it in the inventory editor.
 */
import * as vscode from 'vscode';
import { ONNX_VIEW_TYPE } from '../onnx-editor';

/** Workspace models offered in the pick; a bigger workspace is narrowed by typing a name. */
const MAX_LISTED = 500;

/** Opens `target` (a URI) or a picked model; returns the opened URI's string, if any. */
export async function analyzeModel(target?: unknown): Promise<string | undefined> {
  const uri = target instanceof vscode.Uri ? target : await pickModel();
  if (!uri) {
    return undefined;
  }
  await vscode.commands.executeCommand('vscode.openWith', uri, ONNX_VIEW_TYPE);
  return uri.toString();
}

async function pickModel(): Promise<vscode.Uri | undefined> {
  const active = activeModel();
  const found = await vscode.workspace.findFiles('**/*.onnx', '**/node_modules/**', MAX_LISTED);
  const uris = [
    ...(active ? [active] : []),
    ...found.filter((u) => u.toString() !== active?.toString()),
  ];
  if (uris.length === 0) {
    void vscode.window.showInformationMessage('NormLens: no .onnx model in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    uris.map((uri) => ({
      label: vscode.workspace.asRelativePath(uri),
      ...(uri === active ? { description: 'open in the editor' } : {}),
      uri,
    })),
    { title: 'NormLens: Analyze ONNX Model', placeHolder: 'Pick a .onnx model to analyze' },
  );
  return picked?.uri;
}

/** The `.onnx` file of the active tab, whichever editor shows it. */
function activeModel(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri =
    input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText
      ? input.uri
      : undefined;
  return uri?.path.toLowerCase().endsWith('.onnx') ? uri : undefined;
}
