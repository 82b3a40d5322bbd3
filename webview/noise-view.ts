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
} from '../src/core/index';
import { scatterChart } from './charts';
import { el, icon } from './dom';
import type { NoiseSimulation } from './noise-simulation';
import { fmt } from './stats-view';
import type { PanelSettings } from './settings';

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
      `Batch means of channel ${simulation.channel} for ${simulation.draws} batches at each size ` +
        `${simulation.rows.map((row) => row.batch).join(', ')}: their standard deviation is ${fmt(smallest?.meanScatter ?? 0)} ` +
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
        `variance ${fmt(simulation.populationVar)}; ${simulation.draws} batches per size`,
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
