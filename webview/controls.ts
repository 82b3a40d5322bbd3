/**
 * The settings form: method, shape, groups, eps, affine, training vs inference and the sample
 * generator. Every control is a labelled native input, so it is keyboard reachable as is.
 */
import { checkboxField, el, numberField, selectField } from './dom';
import { methodLabel } from './methods';
import {
  LIMITS,
  METHODS,
  SEQUENCE_METHODS,
  clampSettings,
  type Method,
  type NumericSetting,
  type PanelSettings,
} from './settings';

/**
 * The shape fields of each layout. Only the current layout's fields are in the form (the other
 * layout's keep their values, detached), so neither layout's sizes show while the other applies.
 */
const IMAGE_FIELDS = ['channels', 'height', 'width'] as const;
const SEQUENCE_FIELDS = ['length', 'features'] as const;
const shapeFields = new WeakMap<HTMLFormElement, Record<string, HTMLLabelElement>>();

/** The form for `settings`. */
export function controlsForm(settings: PanelSettings): HTMLFormElement {
  const number = (key: NumericSetting, label: string, title?: string): HTMLLabelElement =>
    numberField(key, label, settings[key], LIMITS[key], title);
  const form = el(
    'form',
    { id: 'controls', 'aria-label': 'Method, shape and sample settings' },
    el(
      'fieldset',
      {},
      el('legend', {}, 'Method'),
      selectField(
        'method',
        'Method',
        settings.method,
        METHODS.map((m) => [m, methodLabel(m)] as const),
      ),
      number('groups', 'G (groups)', 'GroupNorm: number of groups; C must be divisible by G'),
      number('eps', 'eps'),
      checkboxField('affine', 'affine γ, β', settings.affine),
      number('gamma', 'γ'),
      number('beta', 'β'),
      selectField('mode', 'BatchNorm mode', settings.inference ? 'inference' : 'training', [
        ['training', 'training (batch statistics)'],
        ['inference', 'inference (running statistics)'],
      ]),
      number('momentum', 'momentum', 'PyTorch convention: weight of the new batch'),
      number('steps', 'training steps', 'Steps that produced the running statistics'),
    ),
    el(
      'fieldset',
      { id: 'shape-fields' },
      el('legend', { id: 'shape-legend' }, shapeLegend(settings)),
      selectField('layout', 'Tensor', settings.layout, [
        ['nchw', 'image N × C × H × W'],
        ['nld', 'sequence N × L × D'],
      ]),
      number('batch', 'N (batch)'),
    ),
    el(
      'fieldset',
      {},
      el('legend', {}, 'Sample generator'),
      number('channelOffset', 'channel offset', 'Spread of the per-channel means'),
      number('channelScale', 'channel scale', 'Growth of the per-channel std'),
      number('sampleOffset', 'sample offset', 'Std of the per-sample shift'),
      number('sampleScale', 'sample scale', 'Std of the per-sample log-scale'),
      checkboxField('constantChannel', 'channel 0 constant', settings.constantChannel),
    ),
  );
  shapeFields.set(form, {
    channels: number('channels', 'C'),
    height: number('height', 'H'),
    width: number('width', 'W'),
    length: number('length', 'L (tokens)', 'Sequence length'),
    features: number('features', 'D (features)', 'Features per token (hidden size)'),
  });
  syncEnabled(form, settings);
  return form;
}

/** The settings the form shows, clamped to their limits. */
export function readControls(form: HTMLFormElement, fallback: PanelSettings): PanelSettings {
  const value = (id: string): string => {
    const field = form.elements.namedItem(id);
    return field instanceof HTMLInputElement || field instanceof HTMLSelectElement
      ? field.value
      : '';
  };
  const checked = (id: string): boolean => {
    const field = form.elements.namedItem(id);
    return field instanceof HTMLInputElement && field.checked;
  };
  const numbers: Partial<Record<NumericSetting, number>> = {};
  for (const key of Object.keys(LIMITS) as NumericSetting[]) {
    const text = value(key).trim();
    numbers[key] = text === '' || !Number.isFinite(Number(text)) ? fallback[key] : Number(text);
  }
  return clampSettings({
    ...fallback,
    ...numbers,
    method: (METHODS as readonly string[]).includes(value('method'))
      ? (value('method') as Method)
      : fallback.method,
    affine: checked('affine'),
    layout: value('layout') === 'nld' ? 'nld' : 'nchw',
    inference: value('mode') === 'inference',
    constantChannel: checked('constantChannel'),
  });
}

/** Writes `settings` into the form (clamped values after a change) and enables what applies. */
export function writeControls(form: HTMLFormElement, settings: PanelSettings): void {
  for (const key of Object.keys(LIMITS) as NumericSetting[]) {
    const field = form.elements.namedItem(key);
    if (field instanceof HTMLInputElement && Number(field.value) !== settings[key]) {
      field.value = String(settings[key]);
    }
  }
  const set = (id: string, value: string | boolean): void => {
    const field = form.elements.namedItem(id);
    if (field instanceof HTMLInputElement && typeof value === 'boolean') {
      field.checked = value;
    } else if (field instanceof HTMLSelectElement && typeof value === 'string') {
      field.value = value;
    }
  };
  set('method', settings.method);
  set('layout', settings.layout);
  set('mode', settings.inference ? 'inference' : 'training');
  set('affine', settings.affine);
  set('constantChannel', settings.constantChannel);
  syncEnabled(form, settings);
}

/**
 * Groups only apply to GroupNorm, the mode and running statistics only to BatchNorm; a sequence
 * tensor shows N, L, D and offers the methods that apply to it.
 */
function syncEnabled(form: HTMLFormElement, settings: PanelSettings): void {
  const sequence = settings.layout === 'nld';
  const fields = shapeFields.get(form);
  const fieldset = form.querySelector('#shape-fields');
  if (fields && fieldset) {
    const [shown, hidden] = sequence
      ? [SEQUENCE_FIELDS, IMAGE_FIELDS]
      : [IMAGE_FIELDS, SEQUENCE_FIELDS];
    hidden.forEach((id) => fields[id]?.remove());
    fieldset.append(...shown.flatMap((id) => fields[id] ?? []));
  }
  const legend = form.querySelector('#shape-legend');
  if (legend) {
    legend.textContent = shapeLegend(settings);
  }
  const method = form.elements.namedItem('method');
  if (method instanceof HTMLSelectElement) {
    for (const option of method.options) {
      option.disabled = sequence && !SEQUENCE_METHODS.includes(option.value as Method);
    }
  }
  const enable = (id: string, on: boolean): void => {
    const field = form.elements.namedItem(id);
    if (field instanceof HTMLInputElement || field instanceof HTMLSelectElement) {
      field.disabled = !on;
    }
  };
  const batchNorm = settings.method === 'batchnorm';
  enable('groups', settings.method === 'groupnorm');
  enable('mode', batchNorm);
  enable('momentum', batchNorm && settings.inference);
  enable('steps', batchNorm && settings.inference);
  enable('gamma', settings.affine);
  enable('beta', settings.affine && settings.method !== 'rmsnorm');
}

function shapeLegend(settings: PanelSettings): string {
  return settings.layout === 'nld' ? 'Shape N × L × D' : 'Shape N × C × H × W';
}
