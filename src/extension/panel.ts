/**
 * The normalization panel's host side: a fixed HTML template with a strict CSP and a nonce; all
 * data goes to the webview by message after its `ready`. The panel restores after a reload.
 *
 * A hidden webview panel loses its document (no `retainContextWhenHidden`), so messages posted
 * while it is hidden or still loading would be lost: the host keeps the latest preset and layer and
 * sends them once the webview says `ready`, which it does each time its document starts.
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
  /** True while the webview's document is alive and has said `ready`. */
  private ready = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    preset: PanelPreset,
    private readonly log: Log,
    layer?: LayerWeights,
  ) {
    this.preset = preset;
    this.layer = layer;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, {
      script: 'main.js',
      stylesheet: 'panel.css',
      title: TITLE,
      loadingText: 'Loading the kernels…',
      wasm: true,
      worker: true,
    });
    panel.onDidDispose(() => {
      if (NormPanel.current === this) {
        NormPanel.current = undefined;
      }
    });
    panel.onDidChangeViewState(({ webviewPanel }) => {
      // Hidden, the document is discarded; shown again, it reloads and says `ready` anew.
      if (!webviewPanel.visible) {
        this.ready = false;
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
    const current = NormPanel.current;
    if (current) {
      current.preset = preset;
      current.layer = layer;
      // Brought to the front of its group; a hidden panel reloads and asks for the data itself.
      current.panel.reveal(current.panel.viewColumn, false);
      if (current.ready && current.panel.visible) {
        current.sendAll();
      }
    } else {
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        TITLE,
        vscode.ViewColumn.Beside,
        webviewOptions(extensionUri),
      );
      NormPanel.current = new NormPanel(panel, extensionUri, preset, log, layer);
    }
  }

  /** Restores panels after a window reload; the webview keeps its own state. */
  static registerSerializer(extensionUri: vscode.Uri, log: Log): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        // The webview saved its preset and, when small, its layer: both untrusted, both parsed.
        const saved: { preset?: unknown; layer?: unknown } =
          typeof state === 'object' && state !== null ? state : {};
        NormPanel.current = new NormPanel(
          panel,
          extensionUri,
          parsePanelPreset(saved.preset),
          log,
          parseLayerWeights(saved.layer),
        );
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
      this.ready = true;
      this.sendAll();
    } else {
      this.log.error('panel error', message.message.slice(0, 500));
    }
  }

  /**
   * The preset, then the layer when there is one (the webview handles them in that order). `lead`
   * tells the webview whether the layer's weights or the simulation come first.
   */
  private sendAll(): void {
    this.post({
      type: 'init',
      preset: this.preset,
      lead: this.layer ? 'weights' : 'simulation',
    });
    if (this.layer) {
      this.post({ type: 'layerWeights', layer: this.layer });
    }
  }

  private post(message: HostToPanel): void {
    void this.panel.webview.postMessage(message);
  }
}
