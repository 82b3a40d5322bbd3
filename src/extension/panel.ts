/**
 * The normalization panel's host side: a fixed HTML template with a strict CSP and a nonce; all
 * data goes to the webview by message after its `ready`. The panel restores after a reload.
 */
import * as vscode from 'vscode';
import {
  isPanelToHost,
  parseLayerWeights,
  parsePanelPreset,
  type HostToPanel,
  type LayerWeights,
  type PanelPreset,
} from '../core/index';
import type { Log } from './log';
import { webviewHtml, webviewOptions } from './webview-page';

const VIEW_TYPE = 'normLens.panel';
const TITLE = 'NormLens: Normalization';

/** Opens (or reveals and re-initialises) the panel, optionally pre-filled. */
export class NormPanel {
  private static current: NormPanel | undefined;
  private preset: PanelPreset;
  /** The model layer shown in "real weights" mode, re-sent after each `ready`. */
  private layer: LayerWeights | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    preset: PanelPreset,
    private readonly log: Log,
  ) {
    this.preset = preset;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, {
      script: 'main.js',
      stylesheet: 'panel.css',
      title: TITLE,
      loadingText: 'Loading the kernels…',
      wasm: true,
    });
    panel.onDidDispose(() => {
      if (NormPanel.current === this) {
        NormPanel.current = undefined;
      }
    });
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message));
  }

  /** Shows the panel with `preset` (from a hover link or the palette). Returns the panel's title. */
  static show(extensionUri: vscode.Uri, log: Log, input?: unknown): string {
    NormPanel.open(extensionUri, log, parsePanelPreset(input), undefined);
    return TITLE;
  }

  /**
   * Shows one model layer's weights ("real weights" mode), e.g. from the ONNX or model.json
   * inventory. `layer` is validated like any message; send only that layer's tensors, each capped
   * at MAX_LAYER_VALUES values. Returns the panel's title, or undefined when `layer` is malformed.
   */
  static showLayer(
    extensionUri: vscode.Uri,
    log: Log,
    layer: unknown,
    preset?: unknown,
  ): string | undefined {
    const parsed = parseLayerWeights(layer);
    if (!parsed) {
      log.error('NormLens: ignored a malformed layer for the panel');
      return undefined;
    }
    const fallback = parsed.kind ? { kind: parsed.kind } : {};
    NormPanel.open(extensionUri, log, preset ? parsePanelPreset(preset) : fallback, parsed);
    return TITLE;
  }

  private static open(
    extensionUri: vscode.Uri,
    log: Log,
    preset: PanelPreset,
    layer: LayerWeights | undefined,
  ): void {
    if (NormPanel.current) {
      const current = NormPanel.current;
      current.preset = preset;
      current.layer = layer;
      current.panel.reveal();
      current.sendAll();
    } else {
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        TITLE,
        vscode.ViewColumn.Beside,
        webviewOptions(extensionUri),
      );
      NormPanel.current = new NormPanel(panel, extensionUri, preset, log);
      NormPanel.current.layer = layer;
    }
  }

  /** Restores panels after a window reload; the webview keeps its own state. */
  static registerSerializer(extensionUri: vscode.Uri, log: Log): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const preset = parsePanelPreset(
          typeof state === 'object' && state !== null
            ? (state as { preset?: unknown }).preset
            : undefined,
        );
        NormPanel.current = new NormPanel(panel, extensionUri, preset, log);
        return Promise.resolve();
      },
    });
  }

  private receive(message: unknown): void {
    if (!isPanelToHost(message)) {
      this.log.error(
        'ignored a malformed message from the panel',
        JSON.stringify(message)?.slice(0, 200),
      );
      return;
    }
    if (message.type === 'ready') {
      this.sendAll();
    } else {
      this.log.error('panel error', message.message);
    }
  }

  /** The preset, then the layer when there is one (the webview handles them in that order). */
  private sendAll(): void {
    this.post({ type: 'init', preset: this.preset });
    if (this.layer) {
      this.post({ type: 'layerWeights', layer: this.layer });
    }
  }

  private post(message: HostToPanel): void {
    void this.panel.webview.postMessage(message);
  }
}
