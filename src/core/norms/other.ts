/**
 * Normalizations without a family of their own: ONNX MeanVarianceNormalization, ONNX
 * LpNormalization and PyTorch's F.normalize (Lp normalization along one dim).
 */
import { defineDescriptor } from './descriptor';
import {
  dimsOf,
  normalizeAxis,
  overPhrase,
  readList,
  readNumber,
  reduceOver,
  whoPhrase,
} from './layout';
import { INPUT, named, onnxOp, positional, spec, torchFunctional } from './params';
import type { Reduction, ReductionInput, VariantSpec } from './types';

const MVN_DEFAULT_AXES = [0, 2, 3];

const VARIANTS: readonly VariantSpec[] = [
  torchFunctional('normalize', {
    signature: 'F.normalize(input, p=2.0, dim=1, eps=1e-12, out=None)',
    note: 'Lp normalization: x / max(‖x‖ₚ, eps) along dim. eps=1e-12 is 0 in fp16, so a zero vector gives NaN there.',
    params: positional(
      INPUT,
      spec('p', { pytorch: 2, onnx: 2 }, 'The norm order (ONNX allows only 1 or 2).'),
      spec(
        'dim',
        { pytorch: 1, onnx: -1 },
        'The dim to normalize along; ONNX calls it axis (default −1).',
      ),
      spec('eps', { pytorch: 1e-12 }, 'Lower bound of the norm; 1e-12 underflows to 0 in fp16.'),
      spec('out', { pytorch: null }, 'Output tensor.'),
    ),
  }),
  onnxOp('LpNormalization', 'ai.onnx', {
    opsets: [1, 22],
    signature: 'LpNormalization(input) → output',
    note: 'An all-zero slice gives 0.',
    params: named(
      spec(
        'axis',
        { onnx: -1, pytorch: 1 },
        'The axis to normalize along (PyTorch F.normalize dim, default 1).',
      ),
      spec('p', { onnx: 2, pytorch: 2 }, 'The norm order: 1 or 2.'),
    ),
  }),
  onnxOp('MeanVarianceNormalization', 'ai.onnx', {
    opsets: [9, 13],
    signature: 'MeanVarianceNormalization(X) → Y',
    note:
      'A function op; adds 1e-9 to the standard deviation, not to the variance. ONNX Runtime also registers an ' +
      'older MVN-1 with normalize_variance and across_channels attributes.',
    params: named(
      spec(
        'axes',
        { onnx: MVN_DEFAULT_AXES },
        'Axes to compute mean and variance over. The default includes the batch axis.',
      ),
    ),
  }),
];

function reduceMvn(input: ReductionInput): Reduction {
  const axes = readList(input.params, 'axes') ?? MVN_DEFAULT_AXES;
  // Non-negative axes imply a minimum rank, so the default [0, 2, 3] reads as NCHW.
  const impliedRank = axes.every((a) => a >= 0) ? Math.max(...axes) + 1 : undefined;
  const dims = dimsOf(input, 'channels-first', impliedRank);
  if (dims.rank === undefined) {
    return { axes: undefined, text: `over axes [${axes.join(', ')}]` };
  }
  const rank = dims.rank;
  return reduceOver(
    dims,
    [...new Set(axes.map((a) => normalizeAxis(a, rank)))].sort((a, b) => a - b),
  );
}

function reduceLp(variant: VariantSpec | undefined, input: ReductionInput): Reduction {
  const onnx = variant?.framework === 'onnx';
  const axis = readNumber(input.params, onnx ? 'axis' : 'dim') ?? (onnx ? -1 : 1);
  const p = readNumber(input.params, 'p') ?? 2;
  const dims = dimsOf(input, 'channels-first');
  if (dims.rank === undefined) {
    return { axes: undefined, text: `per position, over dim ${axis} (L${p} norm)` };
  }
  const resolved = normalizeAxis(axis, dims.rank);
  const kept = dims.labels.filter((_, i) => i !== resolved);
  const over = overPhrase([dims.labels[resolved] ?? `dim ${axis}`], [dims.sizes[resolved]]);
  const text = `${whoPhrase(kept)}, over ${over.text} (L${p} norm)`;
  return over.values === undefined
    ? { axes: [resolved], text }
    : { axes: [resolved], text, values: over.values };
}

/** Mean-variance and Lp normalization. */
export const OTHER_NORM = defineDescriptor(
  {
    kind: 'other',
    title: 'Other normalizations (mean-variance, Lp)',
    summary:
      'MeanVarianceNormalization standardizes over chosen axes with no learnable parameters; Lp normalization divides by the Lp norm along one axis.',
    formula:
      'MVN: y = (x − E[x]) / (√E[(x − E[x])²] + 1e-9) over axes;  Lp: y = x / ‖x‖ₚ along one axis',
    strengths: [
      'Parameter-free and stateless: nothing to train, track or export wrongly.',
      'Lp normalization puts embeddings on the unit sphere, so dot products become cosine similarities.',
    ],
    weaknesses: [
      "MVN's default axes [0, 2, 3] include the batch axis: like BatchNorm without running statistics, the output depends on the batch.",
      'Small default epsilons (F.normalize 1e-12) vanish in fp16, so zero vectors give NaN there.',
    ],
    fit: 'Exported preprocessing and legacy graphs (MVN); embeddings and similarity heads (Lp).',
    citations: [],
    learnable: [],
    buffers: [],
    training: 'Computed from the input only; nothing is tracked.',
    inference: 'Identical to training.',
    notes: ['ONNX LpNormalization accepts only p = 1 or 2.'],
    variants: VARIANTS,
  },
  (variant, input) =>
    variant?.name === 'MeanVarianceNormalization' ? reduceMvn(input) : reduceLp(variant, input),
);
