/**
 * Live statistics of one update: per-channel and per-sample mean ± std strips and before/after
 * histograms (uPlot), the per-channel table (the strips' text alternative) and the update time.
 */
import { formatNumber } from '../src/core/index';
import { histogramChart, histogramData, stripChart, stripData, type Chart } from './charts';
import type { Computation } from './compute';
import { el, icon } from './dom';
import { tensorLayout, type PanelSettings } from './settings';

/** Charts are built once; each update only sets their data. */
export class StatsView {
  readonly element: HTMLElement;
  private readonly charts: Record<
    'channelBefore' | 'channelAfter' | 'sampleBefore' | 'sampleAfter' | 'histBefore' | 'histAfter',
    Chart
  >;
  private readonly summary = el('p', { id: 'keeps-removes' });
  private readonly table = el('div', { id: 'channel-table' });
  private readonly channelTitle = el('h3', {}, 'Per-channel mean ± std');
  private readonly tableSummary = el('summary', {}, 'Per-channel numbers');
  private tableKey = '';

  constructor() {
    this.charts = {
      channelBefore: stripChart('strip-channel-before', 'channel'),
      channelAfter: stripChart('strip-channel-after', 'channel'),
      sampleBefore: stripChart('strip-sample-before', 'sample'),
      sampleAfter: stripChart('strip-sample-after', 'sample'),
      histBefore: histogramChart('hist-before', 'x'),
      histAfter: histogramChart('hist-after', 'y'),
    };
    const pair = (title: string | HTMLElement, before: Chart, after: Chart): HTMLElement =>
      el(
        'div',
        { class: 'pair' },
        typeof title === 'string' ? el('h3', {}, title) : title,
        el('div', { class: 'pair-charts' }, labelled('before', before), labelled('after', after)),
      );
    this.element = el(
      'div',
      { id: 'stats-view' },
      this.summary,
      pair(this.channelTitle, this.charts.channelBefore, this.charts.channelAfter),
      pair('Per-sample mean ± std', this.charts.sampleBefore, this.charts.sampleAfter),
      pair('Histogram of all values', this.charts.histBefore, this.charts.histAfter),
      el('details', { open: '' }, this.tableSummary, this.table),
    );
  }

  /** Shows `result`. */
  update(settings: PanelSettings, result: Computation): void {
    const { before, after } = result;
    const layout = tensorLayout(settings);
    const noun = layout.channelsLast ? 'feature' : 'channel';
    this.channelTitle.textContent = `Per-${noun} mean ± std`;
    this.tableSummary.textContent = `Per-${noun} numbers`;
    const set = (chart: Chart, [data, text]: ReturnType<typeof stripData>): void =>
      chart.set(data, text);
    set(
      this.charts.channelBefore,
      stripData(before.channelMean, before.channelStd, `Per-${noun} statistics before`),
    );
    set(
      this.charts.channelAfter,
      stripData(after.channelMean, after.channelStd, `Per-${noun} statistics after`),
    );
    set(
      this.charts.sampleBefore,
      stripData(before.sampleMean, before.sampleStd, 'Per-sample statistics before'),
    );
    set(
      this.charts.sampleAfter,
      stripData(after.sampleMean, after.sampleStd, 'Per-sample statistics after'),
    );
    set(this.charts.histBefore, histogramData(result.histogramBefore, 'the input'));
    set(this.charts.histAfter, histogramData(result.histogramAfter, 'the output'));
    this.summary.replaceChildren(
      icon('info'),
      ` Spread of the per-${noun} means: ${fmt(spread(before.channelMean))} before, ` +
        `${fmt(spread(after.channelMean))} after. Spread of the per-sample means: ` +
        `${fmt(spread(before.sampleMean))} before, ${fmt(spread(after.sampleMean))} after.`,
    );
    const tableKey = `${noun}:${layout.features}`;
    if (this.tableKey !== tableKey) {
      this.table.replaceChildren(channelTable(layout.features, noun));
      this.tableKey = tableKey;
    }
    const table = this.table.firstElementChild;
    if (table instanceof HTMLTableElement) {
      fillChannelTable(table, settings, result);
    }
  }
}

function labelled(caption: string, chart: Chart): HTMLElement {
  return el(
    'div',
    { class: 'chart-box' },
    el('span', { class: 'chart-caption' }, caption),
    chart.element,
  );
}

/** Column classes of the per-channel table, in order, after the channel header. */
const COLUMNS = [
  ['mean-before', 'mean before'],
  ['var-before', 'variance before'],
  ['mean-after', 'mean after'],
  ['var-after', 'variance after'],
  ['running-mean', 'running mean'],
  ['running-var', 'running var'],
] as const;

/** The empty per-channel (or per-feature) table for `channels` rows. */
function channelTable(channels: number, noun: string): HTMLTableElement {
  const rows = Array.from({ length: channels }, (_, c) =>
    el(
      'tr',
      { 'data-channel': String(c) },
      el('th', { scope: 'row' }, String(c)),
      ...COLUMNS.map(([name]) => el('td', { class: name })),
    ),
  );
  return el(
    'table',
    { id: 'channel-stats', 'aria-label': `Per-${noun} statistics before and after` },
    el('caption', {}),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, noun),
        ...COLUMNS.map(([, title]) => el('th', { scope: 'col' }, title)),
      ),
    ),
    el('tbody', {}, ...rows),
  );
}

/** Writes the numbers of `result` into the table's cells (no new elements). */
function fillChannelTable(
  table: HTMLTableElement,
  settings: PanelSettings,
  result: Computation,
): void {
  const { before, after, running } = result;
  const batchNorm = settings.method === 'batchnorm';
  const square = (v: number | undefined): number | undefined =>
    v === undefined ? undefined : v * v;
  if (table.caption) {
    const [noun, over] =
      settings.layout === 'nld' ? ['feature', 'N × L'] : ['channel', 'N × H × W'];
    table.caption.textContent = `Per-${noun} mean and variance over ${over} of the ${result.shape.join('×')} sample`;
  }
  const rows = table.tBodies[0]?.rows ?? [];
  for (let c = 0; c < rows.length; c++) {
    const values = [
      before.channelMean[c],
      square(before.channelStd[c]),
      after.channelMean[c],
      square(after.channelStd[c]),
      batchNorm ? running.mean[c] : undefined,
      batchNorm ? running.variance[c] : undefined,
    ];
    const cells = rows[c]?.cells;
    values.forEach((value, i) => {
      const target = cells?.[i + 1];
      if (target) {
        target.textContent = value === undefined ? '—' : fmt(value);
      }
    });
  }
}

function spread(values: Float64Array): number {
  return values.length === 0 ? 0 : Math.max(...values) - Math.min(...values);
}

/** Float noise around zero (|v| < 1e-6) shows as 0, so "mean after ≈ 0" reads as 0. */
export function fmt(value: number): string {
  return formatNumber(Math.abs(value) < 1e-6 ? 0 : Number(value.toPrecision(5)));
}
