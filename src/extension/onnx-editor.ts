/**
 * The read-only editor for `.onnx` files. The model inventory arrives with ONNX support; until then
 * the editor says so plainly instead of showing anything made up. It never reads the file.
 */
import * as vscode from 'vscode';

const VIEW_TYPE = 'normLens.onnxViewer';

class OnnxDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    // Nothing is held: the file is not read yet.
  }
}

/** Registers the custom editor for `*.onnx`. */
export function registerOnnxEditor(extensionUri: vscode.Uri): vscode.Disposable {
  const provider: vscode.CustomReadonlyEditorProvider<OnnxDocument> = {
    openCustomDocument(uri) {
      return new OnnxDocument(uri);
    },
    resolveCustomEditor(_document, panel) {
      panel.webview.options = {
        enableScripts: false,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
      };
      const style = panel.webview.asWebviewUri(
        vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'),
      );
      panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${panel.webview.cspSource}">
<link rel="stylesheet" href="${style.toString()}"></head>
<body><h1 id="onnx-title">NormLens: ONNX model</h1>
<p id="onnx-status">The normalization inventory of ONNX models comes with ONNX support, which is not in this version yet. NormLens has not read this file.</p>
</body></html>`;
    },
  };
  return vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
    supportsMultipleEditorsPerDocument: true,
  });
}
