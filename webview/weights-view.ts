/**
 * "Real weights" mode: one model layer's γ, β, running mean and running variance as histograms
 * (core kernels + uPlot), its effective attributes, and the channels the host flagged (dead γ,
 * invalid variances). Every name comes from the model and goes into the page as text only.
 */
import { formatNumber, type Kernels, type LayerTensor, type LayerWeights } from '../src/core/index';
import { histogramChart, histogramData, type Chart } from './charts';
import { el, icon, svg } from './dom';

const ROLE_LABEL: Readonly<Record<LayerTensor['role'], string>> = {
  scale: 'γ (scale)',
  bias: 'β (bias)',
  mean: 'running mean',
  var: 'running variance',
};
const BINS = 32;

/** Renders `layer`; returns the element and the charts to dispose on the next layer. */
export function renderWeights(
  kernels: Kernels,
  layer: LayerWeights,
): { element: HTMLElement; charts: Chart[] } {
  const charts: Chart[] = [];
  const attributes = Object.entries(layer.attributes);
  const tensors = layer.tensors.map((tensor, index) => {
    const chart = histogramChart(`weights-hist-${index}`, tensor.role);
    charts.push(chart);
    return tensorBlock(kernels, layer, tensor, chart);
  });
  const element = el(
    'div',
    { id: 'weights-view' },
    el(
      'p',
      { id: 'weights-layer' },
      icon('symbol-class'),
      ' ',
      el('strong', { class: 'layer-name' }, layer.name),
      ` — ${layer.opType}`,
      ...(layer.source ? [` in ${layer.source}`] : []),
    ),
    attributes.length === 0
      ? el('p', {}, 'No attributes: every value is the default.')
      : el(
          'table',
          { id: 'weights-attributes' },
          el('caption', {}, 'Effective attributes'),
          el(
            'tbody',
            {},
            ...attributes.map(([name, value]) =>
              el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, attributeText(value))),
            ),
          ),
        ),
    layer.issues.length === 0
      ? el('p', { id: 'weights-issues' }, icon('pass'), ' No problems found in the weights.')
      : el(
          'ul',
          { id: 'weights-issues' },
          ...layer.issues.map((issue) =>
            el('li', { 'data-kind': issue.kind }, icon('warning'), ' ', issue.message),
          ),
        ),
    el('div', { class: 'weights-grid' }, ...tensors),
  );
  return { element, charts };
}

function tensorBlock(
  kernels: Kernels,
  layer: LayerWeights,
  tensor: LayerTensor,
  chart: Chart,
): HTMLElement {
  const x = { data: tensor.values, shape: [tensor.values.length] };
  const summary = kernels.summarize(x);
  const flagged = new Set(
    layer.issues.filter((issue) => issue.role === tensor.role).flatMap((issue) => issue.channels),
  );
  const histogram = kernels.histogram(x, { bins: BINS });
  const [data, text] = histogramData(histogram, `${ROLE_LABEL[tensor.role]} ${tensor.name}`);
  chart.set(data, text);
  // The bin counts as data, for tools and tests that read the chart without its canvas.
  chart.element.dataset['counts'] = Array.from(histogram.counts).join(',');
  const capped =
    tensor.totalCount > tensor.values.length
      ? ` (first ${tensor.values.length} of ${tensor.totalCount})`
      : '';
  return el(
    'div',
    { class: 'weights-tensor', 'data-role': tensor.role },
    el('h3', {}, `${ROLE_LABEL[tensor.role]}: `, el('code', {}, tensor.name)),
    el(
      'p',
      { class: 'tensor-summary' },
      `${tensor.values.length} values${capped}, shape [${tensor.shape.join(', ')}]` +
        `${tensor.dtype ? `, ${tensor.dtype}` : ''}; min ${formatNumber(summary.min)}, max ${formatNumber(summary.max)}; ` +
        `${summary.nanCount} NaN, ${summary.posInfCount + summary.negInfCount} ±Inf, ${summary.zeroCount} zeros`,
    ),
    chart.element,
    channelMap(tensor, flagged),
  );
}

/** One tick per channel; flagged channels and non-finite values are marked. */
function channelMap(tensor: LayerTensor, flagged: ReadonlySet<number>): Element {
  const count = tensor.values.length;
  const width = Math.max(1, Math.min(8, Math.floor(300 / Math.max(count, 1))));
  const marks: SVGRectElement[] = [];
  for (let c = 0; c < count; c++) {
    const bad = flagged.has(c) || !Number.isFinite(tensor.values[c] ?? Number.NaN);
    marks.push(
      svg('rect', {
        x: String(c * width),
        y: '0',
        width: String(width),
        height: '10',
        class: bad ? 'flagged' : 'channel',
      }),
    );
  }
  const listed = [...flagged].slice(0, 12).join(', ');
  return el(
    'figure',
    {
      class: 'channel-map',
      role: 'img',
      'aria-label':
        flagged.size === 0
          ? `No flagged channels among ${count}`
          : `Flagged channels: ${listed}${flagged.size > 12 ? ', …' : ''}`,
    },
    svg('svg', { width: String(count * width), height: '10', 'aria-hidden': 'true' }, ...marks),
  );
}

function attributeText(value: LayerWeights['attributes'][string]): string {
  if (typeof value === 'object') {
    const items: readonly (number | string)[] = value;
    return `[${items.map((v) => (typeof v === 'number' ? formatNumber(v) : v)).join(', ')}]`;
  }
  return typeof value === 'number' ? formatNumber(value) : String(value);
}
