/**
 * Local response normalization: PyTorch LocalResponseNorm / CrossMapLRN2d / F.local_response_norm,
 * tfjs localResponseNormalization (TF semantics) and ONNX LRN. The three differ in the window
 * and in whether α is divided by the window size.
 */
import { CITATIONS, citeLabel as cite } from './citations';
import { defineDescriptor } from './descriptor';
import { dimsOf, readNumber, whoPhrase } from './layout';
import {
  INPUT,
  named,
  onnxOp,
  positional,
  spec,
  tfjsGraphOp,
  tfjsOp,
  torchFunctional,
  torchModule,
} from './params';
import type { Reduction, ReductionInput, VariantSpec } from './types';

/** The three window conventions. */
export type LrnConvention = 'pytorch' | 'onnx' | 'tf';

/** Channels summed before and after channel c, and what α is divided by. */
export interface LrnWindow {
  readonly before: number;
  readonly after: number;
  readonly count: number;
  readonly alphaDivisor: number;
}

/**
 * The window of an LRN: PyTorch pads ⌊n/2⌋ before and ⌊(n−1)/2⌋ after; ONNX takes ⌊(n−1)/2⌋
 * before and ⌈(n−1)/2⌉ after (the same for odd n); TF takes `depthRadius` on each side and does
 * not divide α. `sizeOrRadius` is n, or depthRadius for TF.
 */
export function lrnWindow(convention: LrnConvention, sizeOrRadius: number): LrnWindow {
  if (convention === 'tf') {
    return {
      before: sizeOrRadius,
      after: sizeOrRadius,
      count: 2 * sizeOrRadius + 1,
      alphaDivisor: 1,
    };
  }
  const n = sizeOrRadius;
  const before = convention === 'pytorch' ? Math.floor(n / 2) : Math.floor((n - 1) / 2);
  const after = convention === 'pytorch' ? Math.floor((n - 1) / 2) : Math.ceil((n - 1) / 2);
  return { before, after, count: n, alphaDivisor: n };
}

const SIZE = spec('size', {}, 'n, the number of neighbouring channels summed.');
const ALPHA = spec(
  'alpha',
  { pytorch: 1e-4, onnx: 1e-4, tfjs: 1 },
  'Scale of the sum of squares (divided by n except in TF).',
);
const BETA = spec('beta', { pytorch: 0.75, onnx: 0.75, tfjs: 0.5 }, 'Exponent.');
const K = spec(
  'k',
  { pytorch: 1, onnx: 1, tfjs: 1 },
  'Additive constant; ONNX and tfjs call it bias.',
);
const TORCH_PARAMS = positional(SIZE, ALPHA, BETA, K);
const TF_PARAMS = [
  spec('depthRadius', { tfjs: 5 }, 'Channels on each side of c: the window is 2·depthRadius + 1.', {
    aliases: ['depth_radius', 'radius'],
    convention: 'For odd PyTorch/ONNX size n: depthRadius = (n − 1)/2 and alpha_tf = alpha/n.',
  }),
  spec('bias', { tfjs: 1, pytorch: 1, onnx: 1 }, K.doc),
  spec(
    'alpha',
    { tfjs: 1, pytorch: 1e-4, onnx: 1e-4 },
    'Scale of the sum of squares, not divided by the window size.',
  ),
  spec('beta', { tfjs: 0.5, pytorch: 0.75, onnx: 0.75 }, BETA.doc),
];

const VARIANTS: readonly VariantSpec[] = [
  torchModule('LocalResponseNorm', 'normalization', {
    signature: 'LocalResponseNorm(size, alpha=0.0001, beta=0.75, k=1.0)',
    note: 'Input (N, C, *) with at least 3 dims; normalizes across channels.',
    params: TORCH_PARAMS,
  }),
  torchModule('CrossMapLRN2d', 'normalization', {
    signature: 'CrossMapLRN2d(size, alpha=0.0001, beta=0.75, k=1)',
    note:
      'Legacy Lua-Torch port, 4-D only. In torch 1.13 its running window sum never drops channel 0, so it ' +
      'differs from LocalResponseNorm; prefer LocalResponseNorm.',
    params: TORCH_PARAMS,
  }),
  torchFunctional('local_response_norm', {
    signature: 'F.local_response_norm(input, size, alpha=0.0001, beta=0.75, k=1.0)',
    params: positional(INPUT, SIZE, ALPHA, BETA, K),
  }),
  tfjsOp('localResponseNormalization', {
    signature: 'tf.localResponseNormalization(x, depthRadius=5, bias=1, alpha=1, beta=0.5)',
    note: 'TF semantics: window c − r … c + r along the last axis, α not divided by the window; rank 3 or 4 only.',
    params: positional(spec('x', {}, 'The tensor to normalize (channels last).'), ...TF_PARAMS),
  }),
  tfjsGraphOp('LRN', {
    signature: 'LRN(input) {depth_radius, bias, alpha, beta}',
    note: 'TensorFlow op in a tfjs graph model; TF semantics.',
    params: named(...TF_PARAMS),
  }),
  onnxOp('LRN', 'ai.onnx', {
    aliases: ['decomposed LRN'],
    opsets: [1, 13],
    signature: 'LRN(X) → Y',
    note: 'For odd size it equals PyTorch LocalResponseNorm; ONNX Runtime rejects even sizes.',
    params: named(
      ALPHA,
      BETA,
      spec('bias', { onnx: 1, pytorch: 1, tfjs: 1 }, K.doc),
      spec('size', {}, SIZE.doc),
    ),
  }),
];

function offset(sign: '−' | '+', value: number): string {
  return value === 0 ? 'c' : `c ${sign} ${value}`;
}

function reduce(variant: VariantSpec | undefined, input: ReductionInput): Reduction {
  const tf = variant?.framework === 'tfjs';
  const convention: LrnConvention = tf ? 'tf' : variant?.framework === 'onnx' ? 'onnx' : 'pytorch';
  const n = tf
    ? (readNumber(input.params, 'depthRadius', 'depth_radius', 'radius') ?? 5)
    : readNumber(input.params, 'size');
  const dims = dimsOf(input, tf ? 'channels-last' : 'channels-first');
  const channelAxis = dims.rank === undefined ? undefined : tf ? dims.rank - 1 : 1;
  const who =
    dims.rank === undefined
      ? 'per position'
      : whoPhrase(dims.labels.filter((_, i) => i !== channelAxis));
  if (n === undefined) {
    return {
      axes: channelAxis === undefined ? undefined : [channelAxis],
      text: `${who}, over a window of size channels`,
    };
  }
  const w = lrnWindow(convention, n);
  const alpha = w.alphaDivisor === 1 ? 'α not divided' : `α divided by ${w.alphaDivisor}`;
  const evenNote = convention === 'onnx' && n % 2 === 0 ? '; ONNX Runtime rejects even sizes' : '';
  const text = `${who}, over a window of ${w.count} channels (${offset('−', w.before)} … ${offset('+', w.after)}): sum of squares, ${alpha}${evenNote}`;
  return { axes: channelAxis === undefined ? undefined : [channelAxis], text, values: w.count };
}

/** Local response normalization. */
export const LOCAL_RESPONSE_NORM = defineDescriptor(
  {
    kind: 'lrn',
    title: 'Local response normalization',
    summary:
      'Divides each activation by a power of the sum of squares of neighbouring channels at the same position.',
    formula:
      'b_c = a_c · (k + α/n · Σ a_c′²)^(−β), summed over the window of n channels around c (TF: α not divided by n)',
    strengths: [
      `Lateral inhibition across channels; it lowered AlexNet's top-1 and top-5 error by 1.4 and 1.2 points ${cite(CITATIONS.alexNet)}.`,
      'No learned parameters and no statistics: batch-independent and identical in training and inference.',
    ],
    weaknesses: [
      'Rarely used since batch normalization; modern architectures leave it out.',
      'Framework conventions differ (window placement for even n, α divided or not), so ports silently change results.',
    ],
    fit: 'Legacy CNNs (AlexNet, GoogLeNet-era models) and their ports. New models use BatchNorm, GroupNorm or LayerNorm instead.',
    citations: [CITATIONS.alexNet],
    learnable: [],
    buffers: [],
    training: 'Computed from the input only; nothing is tracked.',
    inference: 'Identical to training.',
    notes: [
      'Mapping TF to PyTorch/ONNX for odd n: depthRadius = (n − 1)/2 and alpha_tf = alpha/n.',
      'For even n PyTorch sums c − n/2 … c + n/2 − 1 while ONNX sums c − n/2 + 1 … c + n/2: at n = 2 outputs differ by up to 0.61 in the reference comparison.',
      'The PyTorch ONNX exporters decompose LocalResponseNorm (Pad, AveragePool, Pow, Div); they never emit the LRN op.',
    ],
    variants: VARIANTS,
  },
  reduce,
);
