/**
 * One shown panel: the controls, the views and the compute backend for one preset. A model
 * layer's weights, when there are any, come first (right under the heading); otherwise the
 * simulation leads. Every update is timed in the page and the timing is published in the DOM.
 */
import type { Kernels, LayerWeights, PanelPreset } from '../src/core/index';
import { AxesView } from './axes-view';
import type { ComputeBackend } from './backend';
import type { Chart } from './charts';
import type { Computation } from './compute';
import { controlsForm, readControls, writeControls } from './controls';
import { el, icon, section } from './dom';
import { NoiseView } from './noise-view';
import { PrecisionView, UNDERFLOW_DEMO } from './precision-view';
import type { PanelSettings } from './settings';
import { StatsView } from './stats-view';
import { renderWeights } from './weights-view';

/** Idle time after the last change before the precision and batch-noise views recompute. */
const SLOW_VIEW_DELAY_MS = 120;

/** Called with the panel's state whenever it changes. */
export type SaveState = (settings: PanelSettings, layer: LayerWeights | undefined) => void;

/** One shown panel. */
export class Panel {
  private readonly axes = new AxesView();
  private readonly stats = new StatsView();
  private readonly noise = new NoiseView();
  private readonly precision: PrecisionView;
  private readonly form: HTMLFormElement;
  private readonly timing = el('p', { id: 'timing', class: 'timing', role: 'status' });
  private readonly weights = el('div', { id: 'weights' });
  private weightCharts: Chart[] = [];
  private layer: LayerWeights | undefined;
  private settings: PanelSettings;
  private slowTimer = 0;
  /** An update is computing; changes meanwhile are folded into one more update after it. */
  private computing = false;
  private changedWhileComputing = false;
  private updates = 0;
  private disposed = false;

  constructor(
    private readonly kernels: Kernels,
    private readonly backend: ComputeBackend,
    private readonly preset: PanelPreset,
    settings: PanelSettings,
    private readonly saveState: SaveState,
  ) {
    this.settings = settings;
    this.form = controlsForm(settings);
    this.precision = new PrecisionView(() => this.apply(UNDERFLOW_DEMO));
    this.form.addEventListener('input', () => this.update());
    this.form.addEventListener('change', () => writeControls(this.form, this.settings));
    this.form.addEventListener('submit', (event) => event.preventDefault());
    this.timing.dataset['backend'] = backend.where;
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
      // Empty until a layer arrives; then the layer's weights lead the panel.
      this.weights,
      el(
        'div',
        { id: 'simulation' },
        this.form,
        section('axes', 'Which values share one mean and variance', this.axes.element),
        section('stats', 'Live statistics', this.stats.element),
        section('noise', 'Batch-size noise (BatchNorm)', this.noise.element),
        section('precision', 'Precision: fp32 vs fp16 vs bf16', this.precision.element),
      ),
    );
    this.update();
  }

  /** Shows one model layer's weights at the top of the panel and brings them into view. */
  showLayer(layer: LayerWeights, reveal: boolean): void {
    this.layer = layer;
    for (const chart of this.weightCharts) {
      chart.dispose();
    }
    const { element, charts } = renderWeights(this.kernels, layer);
    this.weightCharts = charts;
    const weights = section('weights-section', 'Real weights', element);
    weights.setAttribute('tabindex', '-1');
    this.weights.replaceChildren(weights);
    this.weights.dataset['lead'] = 'true';
    if (reveal) {
      // Focus moves to the layer (screen readers announce it); the page scrolls to its top.
      weights.focus({ preventScroll: true });
      weights.scrollIntoView({ block: 'start' });
    }
    this.save();
  }

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.slowTimer);
    this.backend.dispose();
    this.axes.dispose();
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
    this.settings = readControls(this.form, this.settings);
    this.save();
    if (this.computing) {
      this.changedWhileComputing = true;
      return;
    }
    this.compute(this.settings);
  }

  /** Computes and draws `settings`; the timing covers both, as the user waits for both. */
  private compute(settings: PanelSettings): void {
    const started = performance.now();
    this.computing = true;
    this.backend
      .update(settings)
      .then((result) => {
        if (!this.disposed) {
          this.draw(settings, result, started);
        }
      })
      .catch((error: unknown) => this.showError(error))
      .finally(() => {
        this.computing = false;
        if (this.changedWhileComputing && !this.disposed) {
          this.changedWhileComputing = false;
          this.compute(this.settings);
        }
      });
  }

  private draw(settings: PanelSettings, result: Computation, started: number): void {
    const drawStarted = performance.now();
    this.axes.update(settings);
    this.stats.update(settings, result);
    const finished = performance.now();
    const update = finished - started;
    const compute = result.generateMs + result.kernelMs;
    // The page's own thread was busy for the drawing, plus the computation when it ran here too.
    const main = finished - drawStarted + (this.backend.where === 'worker' ? 0 : compute);
    const data = this.timing.dataset;
    data['updateMs'] = update.toFixed(2);
    data['computeMs'] = compute.toFixed(2);
    data['drawMs'] = (finished - drawStarted).toFixed(2);
    data['mainThreadMs'] = main.toFixed(2);
    data['shape'] = result.shape.join('x');
    data['method'] = settings.method;
    data['updates'] = String(++this.updates);
    this.timing.replaceChildren(
      icon('clock'),
      ` ${result.shape.join('×')}: update ${update.toFixed(1)} ms (in the ${this.backend.where}: ` +
        `sample ${result.generateMs.toFixed(1)}, kernels + statistics ${result.kernelMs.toFixed(1)}; ` +
        `drawing ${(finished - drawStarted).toFixed(1)})`,
    );
    document.getElementById('error')?.remove();
    this.scheduleSlowViews();
  }

  /**
   * The precision table (three more passes, fp16/bf16 rounding included) and the batch-noise
   * simulation follow once the controls are idle, so typing stays within a frame.
   */
  private scheduleSlowViews(): void {
    window.clearTimeout(this.slowTimer);
    this.slowTimer = window.setTimeout(() => {
      const settings = this.settings;
      this.backend
        .slow(settings)
        .then((slow) => {
          // A change since then brings its own idle-time update.
          if (this.disposed || settings !== this.settings) {
            return;
          }
          this.precision.update(settings, slow.precisions);
          this.noise.update(settings, slow.noise, this.preset.batch === settings.batch);
          this.timing.dataset['slowMs'] = slow.ms.toFixed(2);
        })
        .catch((error: unknown) => this.showError(error));
    }, SLOW_VIEW_DELAY_MS);
  }

  private showError(error: unknown): void {
    document.getElementById('error')?.remove();
    this.timing.after(el('p', { id: 'error', role: 'alert' }, String(error)));
  }

  private save(): void {
    this.saveState(this.settings, this.layer);
  }
}
