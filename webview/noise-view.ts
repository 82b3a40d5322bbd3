/**
 * Batch-size noise of BatchNorm: how the batch mean and variance that training normalizes with
 * scatter around the population values as the batch shrinks, and how far the training-mode output
 * is from the inference-mode output (running statistics = population). Beside it, the GroupNorm
 * paper's BN vs GN table with a marker at the batch size.
 */
import {
  GROUPNORM_PAPER_TABLE,
  NORM_COMPARISON,
  descriptorOf,
  smallBatchErrors,
  type Kernels,
  type Tensor,
} from '../src/core/index';
import { scatterChart } from './charts';
import { el, icon } from './dom';
import { sampleTensor } from './sample-tensor';
import { fmt } from './stats-view';
import type { PanelSettings } from './settings';

/** Batch sizes simulated (the paper's, plus 1). */
const BATCHES = [1, 2, 4, 8, 16, 32] as const;
/** Batches drawn per size. */
const DRAWS = 12;
/** Samples behind the population statistics. */
const POPULATION = 256;
const PLANE = 8;

/** One simulated batch size. */
interface NoiseRow {
  readonly batch: number;
  readonly means: readonly number[];
  /** Standard deviation of the batch mean and of the batch variance across draws. */
  readonly meanScatter: number;
  readonly varScatter: number;
  /** Mean |y_train − y_inference| over the batch, averaged over draws. */
  readonly mismatch: number;
}

/** The simulation for one channel of the current generator. */
export interface NoiseSimulation {
  readonly channel: number;
  readonly populationMean: number;
  readonly populationVar: number;
  readonly rows: readonly NoiseRow[];
}

/** Simulates BN's batch statistics for channel `channel` (the first non-constant one). */
export function simulateNoise(kernels: Kernels, settings: PanelSettings): NoiseSimulation {
  const shape = (batch: number): PanelSettings => ({
    ...settings,
    batch,
    // At least 2 × 2 values per plane, so that even a batch of 1 has more than one value per channel.
    height: Math.max(2, Math.min(settings.height, PLANE)),
    width: Math.max(2, Math.min(settings.width, PLANE)),
  });
  const channel = settings.constantChannel && settings.channels > 1 ? 1 : 0;
  const population = kernels.moments(sampleTensor(shape(POPULATION), settings, 7), [0, 2, 3]);
  const runningMean = Float32Array.from(population.mean);
  const runningVar = Float32Array.from(population.variance);
  let seed = 1000;
  const rows = BATCHES.map((batch): NoiseRow => {
    const means: number[] = [];
    const variances: number[] = [];
    let mismatch = 0;
    for (let draw = 0; draw < DRAWS; draw++) {
      const x: Tensor = sampleTensor(shape(batch), settings, seed++);
      const train = kernels.batchNormTrain(x, {
        eps: settings.eps,
        momentum: settings.momentum,
        convention: 'pytorch',
        runningMean,
        runningVar,
      });
      const infer = kernels.batchNormInfer(x, { eps: settings.eps, runningMean, runningVar });
      means.push(train.batchMean[channel] ?? Number.NaN);
      variances.push(train.batchVar[channel] ?? Number.NaN);
      mismatch += meanAbsDifference(train.y.data, infer.data) / DRAWS;
    }
    return { batch, means, meanScatter: std(means), varScatter: std(variances), mismatch };
  });
  return {
    channel,
    populationMean: population.mean[channel] ?? Number.NaN,
    populationVar: population.variance[channel] ?? Number.NaN,
    rows,
  };
}

/** The chart, the simulation table and the paper's table. */
export class NoiseView {
  readonly element: HTMLElement;
  private marker: number | undefined;
  private readonly chart = scatterChart(
    'noise-chart',
    'batch size',
    'batch mean',
    () => this.marker,
  );
  private readonly note = el('p', { id: 'batch-note' });
  private readonly simulation = el('div', { id: 'noise-table' });
  private readonly paper = el('div', { id: 'paper-table' });

  constructor() {
    this.element = el(
      'div',
      { id: 'noise-view' },
      this.note,
      el(
        'div',
        { class: 'side-by-side' },
        el('div', {}, this.chart.element, this.simulation),
        this.paper,
      ),
    );
  }

  /** Shows the simulation, with the marker at `batch` (from the user's code when `fromCode`). */
  update(settings: PanelSettings, simulation: NoiseSimulation, fromCode: boolean): void {
    const batch = settings.batch;
    this.marker = batch;
    const xs: number[] = [];
    const ys: number[] = [];
    for (const row of simulation.rows) {
      for (const mean of row.means) {
        xs.push(row.batch);
        ys.push(mean);
      }
    }
    const largest = simulation.rows[simulation.rows.length - 1];
    const smallest = simulation.rows[0];
    this.chart.set(
      [xs, ys, xs.map(() => simulation.populationMean)],
      `Batch means of channel ${simulation.channel} for ${DRAWS} batches at each size ` +
        `${BATCHES.join(', ')}: their standard deviation is ${fmt(smallest?.meanScatter ?? 0)} ` +
        `at batch 1 and ${fmt(largest?.meanScatter ?? 0)} at batch ${largest?.batch ?? ''}; ` +
        `the marker is at batch ${batch}.`,
    );
    this.simulation.replaceChildren(simulationTable(simulation, batch));
    this.paper.replaceChildren(paperTable(batch, fromCode));
    const errors = smallBatchErrors(batch);
    const comparison = NORM_COMPARISON.find((row) => row.kind === settings.method);
    const methodNote =
      comparison && !comparison.batchDependent
        ? ` ${descriptorOf(settings.method).title} does not depend on the batch: its statistics are ${comparison.statistics}.`
        : '';
    this.note.textContent =
      `${descriptorOf('batchnorm').formula}. At ${errors.batch} images per GPU the GroupNorm paper ` +
      `measured ResNet-50 top-1 error ${errors.bn}% with BatchNorm vs ${errors.gn}% with GroupNorm.` +
      methodNote;
  }
}

function simulationTable(simulation: NoiseSimulation, batch: number): HTMLTableElement {
  return el(
    'table',
    { id: 'noise-stats' },
    el(
      'caption',
      {},
      `Channel ${simulation.channel}: population mean ${fmt(simulation.populationMean)}, ` +
        `variance ${fmt(simulation.populationVar)}; ${DRAWS} batches per size`,
    ),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['batch', 'std of batch mean', 'std of batch var', 'mean |y_train − y_infer|'].map((t) =>
          el('th', { scope: 'col' }, t),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...simulation.rows.map((row) =>
        el(
          'tr',
          { 'data-batch': String(row.batch), ...(row.batch === batch ? { class: 'marked' } : {}) },
          el('th', { scope: 'row' }, String(row.batch)),
          el('td', { class: 'mean-scatter' }, fmt(row.meanScatter)),
          el('td', { class: 'var-scatter' }, fmt(row.varScatter)),
          el('td', { class: 'mismatch' }, fmt(row.mismatch)),
        ),
      ),
    ),
  );
}

/** The GroupNorm paper's table from the descriptors, the batch's row marked. */
function paperTable(batch: number, fromCode: boolean): HTMLElement {
  const row = smallBatchErrors(batch);
  const source = GROUPNORM_PAPER_TABLE.source;
  return el(
    'table',
    { id: 'gn-paper-table' },
    el('caption', {}, `${GROUPNORM_PAPER_TABLE.setting} (${source.authors}, ${source.year})`),
    el(
      'thead',
      {},
      el('tr', {}, ...['images per GPU', 'BN', 'GN', ''].map((t) => el('th', { scope: 'col' }, t))),
    ),
    el(
      'tbody',
      {},
      ...GROUPNORM_PAPER_TABLE.rows.map((r) => {
        const marked = r.batch === row.batch;
        return el(
          'tr',
          marked ? { class: 'marked', 'aria-current': 'true' } : {},
          el('th', { scope: 'row' }, String(r.batch)),
          el('td', {}, `${r.bn}%`),
          el('td', {}, `${r.gn}%`),
          el(
            'td',
            { class: 'marker-cell' },
            ...(marked
              ? [
                  icon('arrow-left'),
                  ` N = ${batch}${fromCode ? ' (from your code)' : ''}${row.exact ? '' : ` (nearest row ≤ ${batch})`}`,
                ]
              : []),
          ),
        );
      }),
    ),
  );
}

function std(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

function meanAbsDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  }
  return a.length === 0 ? 0 : sum / a.length;
}
