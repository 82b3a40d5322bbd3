/**
 * Binds one webview to one model's inventory: a fixed HTML template with a strict CSP and a nonce,
 * the inventory sent by message after the webview's `ready`, and "Visualize" requests answered by
 * opening the normalization panel with that layer's weights.
 */
import type * as vscode from 'vscode';
import type { LayerWeights } from '../../core/index';
import type { Log } from '../log';
import { NormPanel } from '../panel';
import { webviewHtml, webviewOptions } from '../webview-page';
import { parseInventoryToHost, type HostToInventory, type Inventory } from '../../core/index';

/** The inventory of a model, or the one-line reason it could not be read. */
export type InventoryResult =
  | { readonly ok: true; readonly inventory: Inventory }
  | { readonly ok: false; readonly message: string; readonly offset?: number };

/** What a model gives the view: its inventory, and one layer's weights on demand. */
export interface InventorySource {
  /** Called once per view; the result is re-sent when the webview reloads. */
  inventory(): Promise<InventoryResult>;
  /** A more complete inventory that follows the first (weights checked), if any. */
  checked?(): Promise<InventoryResult | undefined>;
  /** Reads one row's weights; rejects with a one-line reason. */
  layer(id: number): Promise<LayerWeights>;
}

/** Shows `source` in `webview` until `webview`'s owner is disposed (dispose the result then). */
export function showInventory(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  log: Log,
  source: InventorySource,
): vscode.Disposable {
  webview.options = webviewOptions(extensionUri);
  webview.html = webviewHtml(webview, extensionUri, {
    script: 'inventory.js',
    stylesheet: 'inventory.css',
    title: 'NormLens: normalization inventory',
    loadingText: 'Reading the model…',
  });
  let first: Promise<InventoryResult> | undefined;
  let second: Promise<InventoryResult | undefined> | undefined;
  const post = (message: HostToInventory): void => {
    void webview.postMessage(message);
  };
  const send = (result: InventoryResult): void =>
    post(
      result.ok
        ? { type: 'inventory', inventory: result.inventory }
        : {
            type: 'failed',
            message: result.message,
            ...(result.offset === undefined ? {} : { offset: result.offset }),
          },
    );
  const visualize = async (id: number): Promise<void> => {
    try {
      const started = Date.now();
      const layer = await source.layer(id);
      log.info(`read the weights of row ${id} in ${Date.now() - started} ms`);
      post(
        NormPanel.showLayer(extensionUri, log, layer) === undefined
          ? { type: 'visualizeFailed', id, message: 'the layer has no weights to show' }
          : { type: 'visualized', id },
      );
    } catch (error) {
      log.error(`NormLens: could not read the weights of row ${id}`, error);
      post({ type: 'visualizeFailed', id, message: errorText(error) });
    }
  };
  return webview.onDidReceiveMessage((raw: unknown) => {
    const message = parseInventoryToHost(raw);
    if (!message) {
      log.error(
        'ignored a malformed message from the inventory',
        JSON.stringify(raw)?.slice(0, 200),
      );
      return;
    }
    if (message.type === 'ready') {
      first ??= source.inventory();
      second ??= source.checked?.();
      // The complete inventory, once ready, replaces the first; never the other way round.
      void first.then(async (result) => {
        send(result);
        const complete = await second;
        if (complete) {
          send(complete);
        }
      });
    } else {
      void visualize(message.id);
    }
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
