/**
 * BatchNorm on the sample tensor, computed by the core kernels in the webview: per-channel mean and
 * variance before and after, and the running statistics after one PyTorch-convention step.
 */
import { descriptorOf, formatNumber, smallBatchErrors, type Kernels } from '../src/core/index';
import { el } from './dom';
import { sampleTensor, type SampleShape } from './sample-tensor';

/** The settings the view computes from. */
export interface BatchNormSettings extends SampleShape {
  readonly eps: number;
  readonly momentum: number;
}

/** Computes and renders the statistics table for `settings`. */
export function renderBatchNorm(kernels: Kernels, settings: BatchNormSettings): HTMLElement {
  const x = sampleTensor(settings);
  const channels = settings.channels;
  const result = kernels.batchNormTrain(x, {
    eps: settings.eps,
    momentum: settings.momentum,
    convention: 'pytorch',
    runningMean: new Float32Array(channels),
    runningVar: new Float32Array(channels).fill(1),
  });
  const reduced = [0, 2, 3];
  const before = kernels.moments(x, reduced);
  const after = kernels.moments(result.y, reduced);

  const header = el(
    'tr',
    {},
    ...[
      'channel',
      'mean before',
      'variance before',
      'mean after',
      'variance after',
      'running mean',
      'running var',
    ].map((title) => el('th', { scope: 'col' }, title)),
  );
  const rows = Array.from({ length: channels }, (_, c) =>
    el(
      'tr',
      { 'data-channel': String(c) },
      el('th', { scope: 'row' }, String(c)),
      cell('mean-before', before.mean[c]),
      cell('var-before', before.variance[c]),
      cell('mean-after', after.mean[c]),
      cell('var-after', after.variance[c]),
      cell('running-mean', result.runningMean[c]),
      cell('running-var', result.runningVar[c]),
    ),
  );
  const table = el(
    'table',
    { id: 'channel-stats', 'aria-label': 'Per-channel statistics before and after BatchNorm' },
    el(
      'caption',
      {},
      `BatchNorm2d on a ${x.shape.join('×')} sample: one mean and variance per channel, over N × H × W`,
    ),
    el('thead', {}, header),
    el('tbody', {}, ...rows),
  );
  return el('section', { id: 'batchnorm-view' }, table, batchNote(settings.batch));
}

/** What the GroupNorm paper measured at this batch size, and the method's formula. */
function batchNote(batch: number): HTMLElement {
  const errors = smallBatchErrors(batch);
  const descriptor = descriptorOf('batchnorm');
  return el(
    'p',
    { id: 'batch-note' },
    `${descriptor.formula}. At ${errors.batch} images per GPU the GroupNorm paper measured ResNet-50 top-1 error ` +
      `${errors.bn}% with BatchNorm vs ${errors.gn}% with GroupNorm.`,
  );
}

function cell(name: string, value: number | undefined): HTMLTableCellElement {
  return el('td', { class: name }, value === undefined ? '—' : formatNumber(roundTiny(value)));
}

/** Shows float noise around zero (|v| < 1e-6) as 0, so "mean after ≈ 0" reads as 0. */
function roundTiny(value: number): number {
  return Math.abs(value) < 1e-6 ? 0 : Number(value.toPrecision(5));
}
