/**
 * RMS normalization: PyTorch RMSNorm (2.4+) and its functional forms, ONNX RMSNormalization (23)
 * and ONNX Runtime's SimplifiedLayerNormalization / SkipSimplifiedLayerNormalization.
 */
import { CITATIONS, citeLabel as cite } from './citations';
import { defineDescriptor } from './descriptor';
import { readList, readNumber } from './layout';
import {
  INPUT,
  TORCH_FACTORY,
  named,
  onnxOp,
  positional,
  renamed,
  spec,
  torchFunctional,
  torchModule,
  torchOp,
} from './params';
import { reduceFromAxis, reduceListed, reduceTrailing } from './trailing';
import type { Reduction, ReductionInput, VariantSpec } from './types';

/** Floating-point types whose epsilon RMSNorm's `eps=None` may resolve to. */
export type RmsNormDtype = 'float16' | 'bfloat16' | 'float32' | 'float64';

const MACHINE_EPS: Readonly<Record<RmsNormDtype, number>> = {
  float16: 2 ** -10,
  bfloat16: 2 ** -7,
  float32: 2 ** -23,
  float64: 2 ** -52,
};

/**
 * The eps PyTorch's RMSNorm uses when `eps=None`. Since PR #142848 (January 2025) it is the
 * epsilon of the computation type, float32 for fp16/bf16/fp32 inputs; before, it was the input
 * dtype's own epsilon (9.77e-4 for fp16, 7.8e-3 for bf16).
 */
export function rmsNormDefaultEps(dtype: RmsNormDtype, beforeJanuary2025Fix = false): number {
  if (beforeJanuary2025Fix || dtype === 'float64') {
    return MACHINE_EPS[dtype];
  }
  return MACHINE_EPS.float32;
}

const NORMALIZED_SHAPE = spec(
  'normalized_shape',
  {},
  'Sizes of the trailing dims to normalize over.',
);
const EPS = spec(
  'eps',
  { pytorch: null, onnx: 1e-5 },
  'Added to the mean square before the square root. None: machine epsilon (see convention).',
  {
    convention:
      'None means finfo(float32).eps = 1.19e-7 for fp16, bf16 and fp32 inputs since PR #142848 (January 2025); ' +
      'before that fix it was finfo(input dtype).eps: 9.77e-4 for fp16, 7.8e-3 for bf16. ONNX epsilon defaults to 1e-5.',
  },
);
const WEIGHT = spec('weight', { pytorch: null }, 'γ, shaped like normalized_shape.');
const ONNX_ATTRIBUTES = named(
  spec('axis', { onnx: -1 }, 'First normalized dim: normalizes [axis, rank).'),
  renamed(EPS, 'epsilon', { doc: 'Added to the mean square before the square root.' }),
  spec('stash_type', { onnx: 1 }, 'Precision of the statistics: 1 = float32.'),
);

const VARIANTS: readonly VariantSpec[] = [
  torchModule('RMSNorm', 'normalization', {
    since: 'torch 2.4',
    signature:
      'RMSNorm(normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None)',
    note: 'No bias.',
    params: positional(
      NORMALIZED_SHAPE,
      EPS,
      spec('elementwise_affine', { pytorch: true }, 'Learn γ per normalized element.'),
      ...TORCH_FACTORY,
    ),
  }),
  torchFunctional('rms_norm', {
    since: 'torch 2.4',
    signature: 'F.rms_norm(input, normalized_shape, weight=None, eps=None)',
    params: positional(INPUT, NORMALIZED_SHAPE, WEIGHT, EPS),
  }),
  torchOp('rms_norm', {
    since: 'torch 2.4',
    signature: 'torch.rms_norm(input, normalized_shape, weight=None, eps=None)',
    params: positional(INPUT, NORMALIZED_SHAPE, WEIGHT, EPS),
  }),
  onnxOp('RMSNormalization', 'ai.onnx', {
    aliases: ['decomposed RMSNorm', 'decomposed RMSNormalization'],
    opsets: [23],
    signature: 'RMSNormalization(X, scale) → Y',
    note: 'A function op since opset 23; below it the dynamo exporter emits Pow, ReduceMean, Add, Sqrt, Reciprocal, Mul, Mul.',
    params: ONNX_ATTRIBUTES,
  }),
  onnxOp('SimplifiedLayerNormalization', 'ai.onnx', {
    opsets: [1],
    signature: 'SimplifiedLayerNormalization(X, scale) → Y[, inv_std_var]',
    note: 'ONNX Runtime op in the default domain; not part of the ONNX standard.',
    params: ONNX_ATTRIBUTES,
  }),
  onnxOp('SkipSimplifiedLayerNormalization', 'com.microsoft', {
    opsets: [1],
    signature:
      'SkipSimplifiedLayerNormalization(input, skip, gamma[, bias]) → output[, mean, inv_std_var, input_skip_bias_sum]',
    note: 'ONNX Runtime fusion of a residual add and RMSNorm over the hidden size: RMSNorm(input + skip + bias)·γ.',
    params: named(
      renamed(EPS, 'epsilon', { defaults: { onnx: 1e-12 }, doc: 'Added to the mean square.' }),
    ),
  }),
];

function reduce(variant: VariantSpec | undefined, input: ReductionInput): Reduction {
  const params = input.params;
  switch (variant?.name) {
    case 'RMSNormalization':
    case 'SimplifiedLayerNormalization': {
      const axes = readList(params, 'axes');
      return axes !== undefined
        ? reduceListed(input, axes)
        : reduceFromAxis(input, readNumber(params, 'axis') ?? -1);
    }
    case 'SkipSimplifiedLayerNormalization':
      return reduceTrailing(input, 1, undefined, ' of input + skip (+ bias)');
    default: {
      const shape = readList(params, 'normalized_shape');
      return reduceTrailing(input, shape?.length, shape);
    }
  }
}

/** RMS normalization. */
export const RMS_NORM = defineDescriptor(
  {
    kind: 'rmsnorm',
    title: 'RMS normalization',
    summary:
      'Scales each row by the reciprocal of its root mean square, without subtracting the mean and without a bias.',
    formula: 'y = x / √(mean(x²) + ε) · γ, over the normalized dims of each row',
    strengths: [
      `Quality comparable to LayerNorm with 7–64% less running time, since it skips the mean ${cite(CITATIONS.rmsNorm)}.`,
      `Keeps LayerNorm's re-scaling invariance, which the paper argues is what matters; re-centering is dispensable ${cite(CITATIONS.rmsNorm)}.`,
      `Batch-independent and identical in training and inference ${cite(CITATIONS.rmsNorm)}.`,
    ],
    weaknesses: [
      `Does not center: a shared offset in the activations passes through ${cite(CITATIONS.rmsNorm)}.`,
      'Version-dependent defaults: nn.RMSNorm needs torch 2.4+, and eps=None changed meaning in January 2025.',
      'No standard ONNX op before opset 23: TorchScript export fails on aten::rms_norm, and the dynamo exporter decomposes it.',
    ],
    fit:
      `Large language models and other pre-norm Transformers, where LayerNorm's centering buys little ${cite(CITATIONS.rmsNorm)}. ` +
      'For channels-first CNNs use BatchNorm or GroupNorm.',
    citations: [CITATIONS.rmsNorm],
    learnable: ['weight γ (normalized_shape), elementwise — ONNX scale; there is no bias'],
    buffers: [],
    training: 'Root mean square of each row of the current input; nothing is tracked.',
    inference: 'Identical to training.',
    notes: [
      'ORT names: SimplifiedLayerNormalization (default domain, not in the ONNX standard) and com.microsoft SkipSimplifiedLayerNormalization (epsilon 1e-12).',
      'Before the January 2025 fix, eps=None on fp16 input was 9.77e-4 and on bf16 7.8e-3, large enough to change results; pass eps explicitly when versions may differ.',
    ],
    variants: VARIANTS,
  },
  reduce,
);
