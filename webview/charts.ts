/**
 * Charts drawn with uPlot in VS Code's theme colours. Each chart sits in a `role="img"` container
 * whose aria-label is a one-line text alternative; a theme change rebuilds the charts with the new
 * colours (canvas colours do not follow CSS variables by themselves).
 */
import uPlot from 'uplot';
import { formatNumber, type Histogram } from '../src/core/index';
import { el } from './dom';

/** Colours read from the theme's CSS variables. */
interface ThemeColors {
  readonly foreground: string;
  readonly grid: string;
  readonly primary: string;
  readonly secondary: string;
  readonly marker: string;
}

type OptionsBuilder = (colors: ThemeColors) => uPlot.Options;

const WIDTH = 300;
const HEIGHT = 150;
const live = new Set<Chart>();

/** A uPlot chart that keeps its data so it can be rebuilt on a theme change. */
export class Chart {
  /** The labelled container to put in the page. */
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private data: uPlot.AlignedData = [[]];
  private readonly target: HTMLElement;

  constructor(
    id: string,
    private readonly build: OptionsBuilder,
  ) {
    this.target = el('div', { class: 'chart-canvas', 'aria-hidden': 'true' });
    this.element = el('figure', { id, class: 'chart', role: 'img' }, this.target);
    live.add(this);
  }

  /** New data and its text alternative. */
  set(data: uPlot.AlignedData, description: string): void {
    this.data = data;
    this.element.setAttribute('aria-label', description);
    if (this.plot) {
      this.plot.setData(data);
    } else {
      this.plot = new uPlot(this.build(themeColors()), data, this.target);
    }
  }

  /** Rebuilds the chart with the current theme's colours. */
  retheme(): void {
    if (this.plot) {
      this.plot.destroy();
      this.plot = new uPlot(this.build(themeColors()), this.data, this.target);
    }
  }

  /** Frees the chart. */
  dispose(): void {
    this.plot?.destroy();
    this.plot = undefined;
    live.delete(this);
  }
}

/** Rebuilds every chart (after the theme changed). */
export function rethemeCharts(): void {
  for (const chart of live) {
    chart.retheme();
  }
}

const bars = uPlot.paths.bars?.({ size: [1, Infinity], gap: 1 });

/** A histogram: one bar per bin, x at the bin centres. */
export function histogramChart(id: string, xLabel: string): Chart {
  return new Chart(id, (colors) => ({
    ...base(),
    series: [
      {},
      {
        label: 'count',
        stroke: colors.primary,
        fill: translucent(colors.primary),
        ...(bars && { paths: bars }),
        points: { show: false },
      },
    ],
    axes: axes(colors, xLabel, 'count'),
  }));
}

/** Histogram data and a text alternative. */
export function histogramData(histogram: Histogram, what: string): [uPlot.AlignedData, string] {
  const centres = Array.from(histogram.counts, (_, i) => {
    const lo = histogram.edges[i] ?? 0;
    const hi = histogram.edges[i + 1] ?? lo;
    return (lo + hi) / 2;
  });
  const counts = Array.from(histogram.counts);
  const peak = counts.indexOf(Math.max(...counts));
  const first = histogram.edges[0] ?? Number.NaN;
  const last = histogram.edges[histogram.edges.length - 1] ?? Number.NaN;
  return [
    [centres, counts],
    `Histogram of ${what}: ${counts.length} bins from ${formatNumber(round(first))} to ` +
      `${formatNumber(round(last))}, most values near ${formatNumber(round(centres[peak] ?? 0))}`,
  ];
}

/** Mean ± std per index (channel or sample): a line of means inside a shaded ±1 std band. */
export function stripChart(id: string, xLabel: string): Chart {
  return new Chart(id, (colors) => ({
    ...base(),
    series: [
      {},
      { label: 'mean', stroke: colors.primary, width: 2, points: { show: true, size: 5 } },
      { label: 'mean + std', stroke: colors.grid, dash: [4, 3] },
      { label: 'mean − std', stroke: colors.grid, dash: [4, 3] },
    ],
    bands: [{ series: [2, 3], fill: translucent(colors.primary, 0.15) }],
    axes: axes(colors, xLabel, 'mean ± std'),
  }));
}

/** Strip data and a text alternative. */
export function stripData(
  mean: Float64Array,
  std: Float64Array,
  what: string,
): [uPlot.AlignedData, string] {
  const index = Array.from(mean, (_, i) => i);
  const means = Array.from(mean);
  const stds = Array.from(std);
  const spread = Math.max(...means) - Math.min(...means);
  return [
    [
      index,
      means,
      means.map((m, i) => m + (stds[i] ?? 0)),
      means.map((m, i) => m - (stds[i] ?? 0)),
    ],
    `${what}: ${means.length} means spanning ${formatNumber(round(spread))}, std from ` +
      `${formatNumber(round(Math.min(...stds)))} to ${formatNumber(round(Math.max(...stds)))}`,
  ];
}

/**
 * Values against batch size (log₂ axis) with a population line; `marker()` is drawn as a vertical
 * line (the batch size from the user's code).
 */
export function scatterChart(
  id: string,
  xLabel: string,
  yLabel: string,
  marker: () => number | undefined,
): Chart {
  return new Chart(id, (colors) => ({
    ...base(),
    scales: { x: { time: false, distr: 3, log: 2 } },
    series: [
      {},
      {
        label: 'estimate',
        stroke: colors.primary,
        paths: () => null,
        points: { show: true, size: 4, fill: colors.primary },
      },
      {
        label: 'population',
        stroke: colors.secondary,
        width: 1,
        dash: [6, 3],
        points: { show: false },
      },
    ],
    axes: axes(colors, xLabel, yLabel),
    hooks: {
      draw: [
        (plot: uPlot) => {
          const at = marker();
          if (at === undefined) {
            return;
          }
          const x = plot.valToPos(at, 'x', true);
          const { ctx, bbox } = plot;
          ctx.save();
          ctx.strokeStyle = colors.marker;
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
          ctx.restore();
        },
      ],
    },
  }));
}

function base(): Omit<uPlot.Options, 'series'> {
  return {
    width: WIDTH,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false } },
  };
}

function axes(colors: ThemeColors, xLabel: string, yLabel: string): uPlot.Axis[] {
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: colors.foreground,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1 },
    labelSize: 18,
    font: '11px sans-serif',
    labelFont: '11px sans-serif',
  });
  return [axis(xLabel), axis(yLabel)];
}

function themeColors(): ThemeColors {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: read('--vscode-foreground', '#888'),
    grid: read('--vscode-charts-lines', 'rgba(128,128,128,0.5)'),
    primary: read('--vscode-charts-blue', '#3794ff'),
    secondary: read('--vscode-charts-green', '#89d185'),
    marker: read('--vscode-charts-orange', '#d18616'),
  };
}

/** The colour at `alpha` opacity; theme colours come as #rrggbb or #rrggbbaa. */
function translucent(color: string, alpha = 0.45): string {
  const hex = /^#([0-9a-f]{6})/i.exec(color)?.[1];
  if (!hex) {
    return color;
  }
  const value = Number.parseInt(hex, 16);
  return `rgba(${value >> 16}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

function round(value: number): number {
  return Math.abs(value) < 1e-6 ? 0 : Number(value.toPrecision(3));
}
