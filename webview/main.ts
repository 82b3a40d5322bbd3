/**
 * The normalization panel's script. In the page it waits for the host's `init`, loads the core
 * kernels and shows the panel (panel-app.ts), with its computations in a Web Worker that runs this
 * same script (compute-worker.ts); without a document it is that worker. State survives a reload
 * through getState/setState.
 */
import {
  loadKernels,
  parseHostToPanel,
  parseLayerWeights,
  type LayerWeights,
  type PanelLead,
  type PanelPreset,
} from '../src/core/index';
import { createBackend } from './backend';
import { rethemeCharts } from './charts';
import { serveComputations } from './compute-worker';
import { Panel } from './panel-app';
import { restoreSettings, settingsFromPreset, type PanelSettings } from './settings';

/** What getState/setState keep. The layer is kept only while it is small. */
interface SavedState {
  readonly preset?: unknown;
  readonly settings?: unknown;
  readonly layer?: unknown;
}
const MAX_SAVED_LAYER_VALUES = 16384;

function startPage(): void {
  const vscode = acquireVsCodeApi();
  // Read now: `currentScript` is only set while the script first runs.
  const script = document.currentScript;
  const scriptUrl = script instanceof HTMLScriptElement ? script.src : undefined;
  const kernels = loadKernels();
  let current: Panel | undefined;
  let starting = Promise.resolve();

  const save = (preset: PanelPreset, settings: PanelSettings, layer?: LayerWeights): void => {
    const small =
      layer && layer.tensors.reduce((n, t) => n + t.values.length, 0) <= MAX_SAVED_LAYER_VALUES;
    const state: SavedState = {
      preset,
      settings,
      ...(small && {
        layer: {
          ...layer,
          tensors: layer.tensors.map((t) => ({ ...t, values: Array.from(t.values) })),
        },
      }),
    };
    vscode.setState(state);
  };

  const start = async (preset: PanelPreset, lead: PanelLead | undefined): Promise<void> => {
    const loaded = await kernels;
    const backend = await createBackend(scriptUrl, kernels);
    const saved = (vscode.getState() ?? {}) as SavedState;
    // Restored settings win only when the panel is reopened for the same preset (a reload).
    const restored =
      JSON.stringify(saved.preset ?? {}) === JSON.stringify(preset)
        ? restoreSettings(saved.settings)
        : undefined;
    current?.dispose();
    current = new Panel(
      loaded,
      backend,
      preset,
      restored ?? settingsFromPreset(preset),
      (settings, layer) => save(preset, settings, layer),
    );
    const app = document.getElementById('app');
    if (app) {
      current.mount(app);
    }
    // Opened from the palette or a hover, the simulation leads and a saved layer is not shown.
    const layer = restored && lead !== 'simulation' ? parseLayerWeights(saved.layer) : undefined;
    if (layer) {
      current.showLayer(layer, lead === 'weights');
    }
  };

  const fail = (error: unknown): void => {
    document
      .getElementById('status')
      ?.replaceChildren(`The panel failed to start: ${String(error)}`);
    vscode.postMessage({ type: 'error', message: String(error) });
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseHostToPanel(event.data);
    // Messages are handled in order: a layer waits for the panel its `init` starts.
    if (message?.type === 'init') {
      starting = starting.then(() => start(message.preset, message.lead)).catch(fail);
    } else if (message?.type === 'layerWeights') {
      const layer = message.layer;
      starting = starting.then(() => current?.showLayer(layer, true)).catch(fail);
    }
  });

  // VS Code switches the body's theme class; canvas charts need their colours re-read.
  new MutationObserver(rethemeCharts).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
  vscode.postMessage({ type: 'ready' });
}

if (typeof document === 'undefined') {
  serveComputations();
} else {
  startPage();
}
