/**
 * The normalization panel: waits for the host's `init`, loads the core kernels (WebAssembly, in this
 * webview) and recomputes on every change. State survives a reload through getState/setState.
 */
import { isHostToPanel, loadKernels, type Kernels, type PanelPreset } from '../src/core/index';
import { renderBatchNorm, type BatchNormSettings } from './batchnorm-view';
import { el, numberField, readNumber } from './dom';

const vscode = acquireVsCodeApi();

const DEFAULTS: BatchNormSettings = {
  batch: 8,
  channels: 4,
  height: 8,
  width: 8,
  eps: 1e-5,
  momentum: 0.1,
};

function settingsFrom(preset: PanelPreset): BatchNormSettings {
  return {
    ...DEFAULTS,
    batch: preset.batch ?? DEFAULTS.batch,
    // The table shows one row per channel; cap it so a 2048-channel layer stays readable.
    channels: Math.min(preset.channels ?? DEFAULTS.channels, 16),
    eps: preset.eps ?? DEFAULTS.eps,
  };
}

function controls(settings: BatchNormSettings): HTMLElement {
  return el(
    'form',
    { id: 'controls', 'aria-label': 'Sample tensor and BatchNorm settings' },
    numberField('batch', 'N (batch)', settings.batch, 1, 256, '1'),
    numberField('channels', 'C', settings.channels, 1, 16, '1'),
    numberField('height', 'H', settings.height, 1, 64, '1'),
    numberField('width', 'W', settings.width, 1, 64, '1'),
    numberField('eps', 'eps', settings.eps, 0, 1),
    numberField('momentum', 'momentum', settings.momentum, 0, 1),
  );
}

function readSettings(): BatchNormSettings {
  return {
    batch: readNumber('batch', DEFAULTS.batch),
    channels: readNumber('channels', DEFAULTS.channels),
    height: readNumber('height', DEFAULTS.height),
    width: readNumber('width', DEFAULTS.width),
    eps: readNumber('eps', DEFAULTS.eps),
    momentum: readNumber('momentum', DEFAULTS.momentum),
  };
}

function show(kernels: Kernels, settings: BatchNormSettings): void {
  const app = document.getElementById('app');
  if (!app) {
    return;
  }
  const form = controls(settings);
  const output = el('div', { id: 'output' });
  const recompute = (): void => {
    const current = readSettings();
    vscode.setState({ settings: current });
    try {
      output.replaceChildren(renderBatchNorm(kernels, current));
    } catch (error) {
      output.replaceChildren(el('p', { id: 'error', role: 'alert' }, String(error)));
    }
  };
  form.addEventListener('input', recompute);
  form.addEventListener('submit', (event) => event.preventDefault());
  app.replaceChildren(el('h1', {}, 'Batch normalization'), form, output);
  recompute();
}

async function start(preset: PanelPreset): Promise<void> {
  const kernels = await loadKernels();
  const saved = vscode.getState() as { settings?: BatchNormSettings } | undefined;
  show(
    kernels,
    Object.keys(preset).length === 0 && saved?.settings ? saved.settings : settingsFrom(preset),
  );
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToPanel(event.data)) {
    start(event.data.preset).catch((error: unknown) => {
      document
        .getElementById('status')
        ?.replaceChildren(`The kernels failed to load: ${String(error)}`);
      vscode.postMessage({ type: 'error', message: String(error) });
    });
  }
});
vscode.postMessage({ type: 'ready' });
