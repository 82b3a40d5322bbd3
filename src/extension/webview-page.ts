/**
 * The one HTML template of NormLens's webviews: a strict CSP with a fresh nonce, our own stylesheet
 * and script, and nothing else. No data is interpolated: everything arrives by message.
 */
import * as vscode from 'vscode';

/** What differs between the webviews: their script, stylesheet, title and loading text. */
export interface WebviewPage {
  /** File name in dist/webview. */
  readonly script: string;
  /** File name in media. */
  readonly stylesheet: string;
  readonly title: string;
  readonly loadingText: string;
  /** The kernels run as WebAssembly inside the page (the panel). */
  readonly wasm?: boolean;
  /**
   * The page starts its own script as a Web Worker: it reads the script (a webview resource, not
   * same-origin with the page) and runs it from a blob URL.
   */
  readonly worker?: boolean;
}

/** Scripts on, and only the extension's own webview, codicon and media folders readable. */
export function webviewOptions(
  extensionUri: vscode.Uri,
): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'dist', 'codicons'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

/** The page's HTML for `webview`. */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: WebviewPage,
): string {
  const nonce = createNonce();
  const resource = (...path: string[]): string =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'${page.wasm ? " 'wasm-unsafe-eval'" : ''}`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    ...(page.worker ? [`connect-src ${webview.cspSource}`, 'worker-src blob:'] : []),
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${resource('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${resource('media', page.stylesheet)}">
<title>${page.title}</title>
</head>
<body>
<main id="app" aria-live="polite"><p id="status">${page.loadingText}</p></main>
<script nonce="${nonce}" src="${resource('dist', 'webview', page.script)}"></script>
</body>
</html>`;
}

/** 128 random bits from the platform's CSPRNG, hex-encoded. */
function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
