/**
 * The normalization panel: waits for the host's `init`, loads the core kernels (WebAssembly, in this
 * webview) and recomputes on every change. All work runs on the main thread: one update at
 * 8×64×28×28 stays well inside a frame (the page shows its own timing), so no worker is needed.
 * State survives a reload through getState/setState.
 */
import {
  loadKernels,
  parseHostToPanel,
  parseLayerWeights,
  type Kernels,
  type LayerWeights,
  type PanelPreset,
  type Tensor,
} from '../src/core/index';
import { AxesView } from './axes-view';
import { rethemeCharts, type Chart } from './charts';
import { Engine } from './compute';
import { controlsForm, readControls, writeControls } from './controls';
import { el, icon, section } from './dom';
import { NoiseView, simulateNoise, type NoiseSimulation } from './noise-view';
import { PrecisionView, UNDERFLOW_DEMO } from './precision-view';
import { restoreSettings, settingsFromPreset, type PanelSettings } from './settings';
import { StatsView } from './stats-view';
import { renderWeights } from './weights-view';

const vscode = acquireVsCodeApi();

/** What getState/setState keep. The layer is kept only while it is small. */
interface SavedState {
  readonly preset?: unknown;
  readonly settings?: unknown;
  readonly layer?: unknown;
}
const MAX_SAVED_LAYER_VALUES = 16384;
/** Idle time after the last change before the precision and batch-noise views recompute. */
const SLOW_VIEW_DELAY_MS = 120;

/** One shown panel: the views and the engine for one preset. */
class Panel {
  private readonly engine: Engine;
  private readonly axes = new AxesView();
  private readonly stats = new StatsView();
  private readonly noise = new NoiseView();
  private readonly precision: PrecisionView;
  private readonly form: HTMLFormElement;
  private readonly timing = el('p', { id: 'timing', class: 'timing' });
  private readonly weights = el('div', { id: 'weights' });
  private weightCharts: Chart[] = [];
  private layer: LayerWeights | undefined;
  private settings: PanelSettings;
  private noiseKey = '';
  private simulation: NoiseSimulation | undefined;
  private slowTimer = 0;

  constructor(
    private readonly kernels: Kernels,
    private readonly preset: PanelPreset,
    settings: PanelSettings,
  ) {
    this.engine = new Engine(kernels);
    this.settings = settings;
    this.form = controlsForm(settings);
    this.precision = new PrecisionView(() => this.apply(UNDERFLOW_DEMO));
    this.form.addEventListener('input', () => this.update());
    this.form.addEventListener('change', () => writeControls(this.form, this.settings));
    this.form.addEventListener('submit', (event) => event.preventDefault());
  }

  /** Puts the panel into `app` and computes. */
  mount(app: HTMLElement): void {
    const origin = this.preset.variant
      ? [
          el(
            'p',
            { id: 'preset-origin' },
            icon('link'),
            ' Opened for ',
            el('code', {}, this.preset.variant),
          ),
        ]
      : [];
    app.replaceChildren(
      el('header', {}, el('h1', {}, icon('graph'), ' Normalization'), ...origin, this.timing),
      this.form,
      section('axes', 'Which values share one mean and variance', this.axes.element),
      section('stats', 'Live statistics', this.stats.element),
      section('noise', 'Batch-size noise (BatchNorm)', this.noise.element),
      section('precision', 'Precision: fp32 vs fp16 vs bf16', this.precision.element),
      this.weights,
    );
    this.update();
  }

  /** Shows one model layer's weights below the sample views. */
  showLayer(layer: LayerWeights): void {
    this.layer = layer;
    for (const chart of this.weightCharts) {
      chart.dispose();
    }
    const { element, charts } = renderWeights(this.kernels, layer);
    this.weightCharts = charts;
    this.weights.replaceChildren(section('weights-section', 'Real weights', element));
    this.save();
  }

  dispose(): void {
    window.clearTimeout(this.slowTimer);
    this.engine.dispose();
    for (const chart of this.weightCharts) {
      chart.dispose();
    }
  }

  private apply(change: Partial<PanelSettings>): void {
    this.settings = { ...this.settings, ...change };
    writeControls(this.form, this.settings);
    this.update();
  }

  private update(): void {
    const started = performance.now();
    this.settings = readControls(this.form, this.settings);
    const settings = this.settings;
    try {
      const result = this.engine.update(settings);
      const computed = performance.now();
      this.axes.update(settings);
      this.stats.update(settings, result);
      const update = performance.now() - started;
      this.timing.dataset['updateMs'] = update.toFixed(2);
      this.timing.dataset['shape'] = result.x.shape.join('x');
      this.timing.replaceChildren(
        icon('clock'),
        ` ${result.x.shape.join('×')}: update ${update.toFixed(1)} ms (sample ` +
          `${result.generateMs.toFixed(1)}, kernels + statistics ${result.kernelMs.toFixed(1)}, ` +
          `drawing ${(started + update - computed).toFixed(1)})`,
      );
      document.getElementById('error')?.remove();
      this.scheduleSlowViews(result.y);
    } catch (error) {
      this.showError(error);
    }
    this.save();
  }

  /**
   * The precision table (three more passes, fp16/bf16 rounding included) and the batch-noise
   * simulation follow once the controls are idle, so typing stays within a frame.
   */
  private scheduleSlowViews(y: Tensor): void {
    window.clearTimeout(this.slowTimer);
    this.slowTimer = window.setTimeout(() => {
      const settings = this.settings;
      try {
        const started = performance.now();
        this.precision.update(settings, this.engine.precisions(settings, y));
        this.noise.update(
          settings,
          this.noiseSimulation(settings),
          this.preset.batch === settings.batch,
        );
        this.timing.dataset['slowMs'] = (performance.now() - started).toFixed(2);
      } catch (error) {
        this.showError(error);
      }
    }, SLOW_VIEW_DELAY_MS);
  }

  private showError(error: unknown): void {
    document.getElementById('error')?.remove();
    this.timing.after(el('p', { id: 'error', role: 'alert' }, String(error)));
  }

  /** The batch-noise simulation, recomputed only when the generator or eps changes. */
  private noiseSimulation(settings: PanelSettings): NoiseSimulation {
    const key = JSON.stringify([
      settings.channels,
      settings.height,
      settings.width,
      settings.channelOffset,
      settings.channelScale,
      settings.sampleOffset,
      settings.sampleScale,
      settings.constantChannel,
      settings.eps,
    ]);
    if (!this.simulation || key !== this.noiseKey) {
      this.simulation = simulateNoise(this.kernels, settings);
      this.noiseKey = key;
    }
    return this.simulation;
  }

  private save(): void {
    const layer = this.layer;
    const small =
      layer && layer.tensors.reduce((n, t) => n + t.values.length, 0) <= MAX_SAVED_LAYER_VALUES;
    const state: SavedState = {
      preset: this.preset,
      settings: this.settings,
      ...(small && {
        layer: {
          ...layer,
          tensors: layer.tensors.map((t) => ({ ...t, values: Array.from(t.values) })),
        },
      }),
    };
    vscode.setState(state);
  }
}

let current: Panel | undefined;
const kernels = loadKernels();

async function start(preset: PanelPreset): Promise<void> {
  const loaded = await kernels;
  const saved = (vscode.getState() ?? {}) as SavedState;
  // Restored settings win only when the panel is reopened for the same preset (a reload).
  const restored =
    JSON.stringify(saved.preset ?? {}) === JSON.stringify(preset)
      ? restoreSettings(saved.settings)
      : undefined;
  current?.dispose();
  current = new Panel(loaded, preset, restored ?? settingsFromPreset(preset));
  const app = document.getElementById('app');
  if (app) {
    current.mount(app);
  }
  const layer = restored ? parseLayerWeights(saved.layer) : undefined;
  if (layer) {
    current.showLayer(layer);
  }
}

function fail(error: unknown): void {
  document.getElementById('status')?.replaceChildren(`The panel failed to start: ${String(error)}`);
  vscode.postMessage({ type: 'error', message: String(error) });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostToPanel(event.data);
  if (message?.type === 'init') {
    start(message.preset).catch(fail);
  } else if (message?.type === 'layerWeights') {
    const layer = message.layer;
    kernels.then(() => current?.showLayer(layer)).catch(fail);
  }
});

// VS Code switches the body's theme class; canvas charts need their colours re-read.
new MutationObserver(rethemeCharts).observe(document.body, {
  attributes: true,
  attributeFilter: ['class'],
});
vscode.postMessage({ type: 'ready' });
