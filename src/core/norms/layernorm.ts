/**
 * Layer normalization: PyTorch LayerNorm and its functional forms, tfjs layerNormalization,
 * ONNX LayerNormalization and ONNX Runtime's SkipLayerNormalization.
 */
import { CITATIONS, citeLabel as cite } from './citations';
import { defineDescriptor } from './descriptor';
import { GROUPNORM_PAPER_TABLE } from './groupnorm-table';
import { readList, readNumber } from './layout';
import {
  INPUT,
  TORCH_FACTORY,
  configKeys,
  named,
  onnxOp,
  positional,
  renamed,
  spec,
  tfjsLayer,
  torchFunctional,
  torchModule,
  torchOp,
} from './params';
import { reduceFromAxis, reduceListed, reduceTrailing } from './trailing';
import type { Reduction, ReductionInput, VariantSpec } from './types';

const NORMALIZED_SHAPE = spec(
  'normalized_shape',
  {},
  'Sizes of the trailing dims to normalize over (an int means one dim).',
);
const EPS = spec(
  'eps',
  { pytorch: 1e-5, tfjs: 1e-3, onnx: 1e-5 },
  'Added to the variance before the square root. tfjs and ONNX call it epsilon; HF BERT uses 1e-12.',
);
const WEIGHT = spec('weight', { pytorch: null }, 'γ, shaped like normalized_shape.');
const BIAS_TENSOR = spec('bias', { pytorch: null }, 'β, shaped like normalized_shape.');
const STASH_TYPE = spec(
  'stash_type',
  { onnx: 1 },
  'Precision of the statistics: 1 = float32, so epsilon stays float32 even for fp16 inputs.',
);

const VARIANTS: readonly VariantSpec[] = [
  torchModule('LayerNorm', 'normalization', {
    signature:
      'LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None)',
    note: 'Normalizes the trailing len(normalized_shape) dims of any input.',
    params: positional(
      NORMALIZED_SHAPE,
      EPS,
      spec(
        'elementwise_affine',
        { pytorch: true },
        'Learn γ (and β when bias=True) per normalized element.',
      ),
      spec(
        'bias',
        { pytorch: true },
        'Learn β. Positional index 3 since torch 2.1; before 2.1 there is no bias and index 3 is device.',
        { since: 'torch 2.1' },
      ),
      ...TORCH_FACTORY,
    ),
  }),
  torchFunctional('layer_norm', {
    signature: 'F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05)',
    params: positional(INPUT, NORMALIZED_SHAPE, WEIGHT, BIAS_TENSOR, EPS),
  }),
  torchOp('layer_norm', {
    signature:
      'torch.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True)',
    params: positional(
      INPUT,
      NORMALIZED_SHAPE,
      WEIGHT,
      BIAS_TENSOR,
      EPS,
      spec('cudnn_enable', { pytorch: true }, 'Allow the cuDNN kernel.'),
    ),
  }),
  tfjsLayer('layerNormalization', 'LayerNormalization', {
    signature: 'tf.layers.layerNormalization({axis=-1, epsilon=0.001, center=true, scale=true, …})',
    note: 'axis may be a number or any list of axes, not only trailing ones.',
    params: configKeys(
      spec('axis', { tfjs: -1, onnx: -1 }, 'Axis or axes to normalize over.'),
      renamed(EPS, 'epsilon'),
      spec('center', { tfjs: true }, 'Learn an offset β.'),
      spec('scale', { tfjs: true }, 'Learn a scale γ.'),
      spec('betaInitializer', { tfjs: 'zeros' }, 'Initializer of β.', {
        aliases: ['beta_initializer'],
      }),
      spec('gammaInitializer', { tfjs: 'ones' }, 'Initializer of γ.', {
        aliases: ['gamma_initializer'],
      }),
      spec('betaRegularizer', { tfjs: null }, 'Regularizer of β.', {
        aliases: ['beta_regularizer'],
      }),
      spec('gammaRegularizer', { tfjs: null }, 'Regularizer of γ.', {
        aliases: ['gamma_regularizer'],
      }),
    ),
  }),
  onnxOp('LayerNormalization', 'ai.onnx', {
    aliases: ['decomposed LayerNorm', 'decomposed LayerNormalization'],
    opsets: [17],
    signature: 'LayerNormalization(X, Scale[, B]) → Y[, Mean, InvStdDev]',
    note:
      'A function op since opset 17; ONNX Runtime also accepts it at lower opsets as its own extension. ' +
      'Below opset 17 the PyTorch exporter emits 9 ops (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add).',
    params: named(
      spec('axis', { onnx: -1, pytorch: -1 }, 'First normalized dim: normalizes [axis, rank).'),
      renamed(EPS, 'epsilon'),
      STASH_TYPE,
    ),
  }),
  onnxOp('SkipLayerNormalization', 'com.microsoft', {
    opsets: [1],
    signature:
      'SkipLayerNormalization(input, skip, gamma[, beta, bias]) → output[, mean, inv_std_var, input_skip_bias_sum]',
    note: 'ONNX Runtime fusion of a residual add and LayerNorm over the hidden size: LN(input + skip + bias)·γ + β.',
    params: named(renamed(EPS, 'epsilon', { defaults: { onnx: 1e-12, pytorch: 1e-5 } })),
  }),
];

function reduce(variant: VariantSpec | undefined, input: ReductionInput): Reduction {
  const params = input.params;
  switch (variant?.name) {
    case 'tf.layers.layerNormalization':
      return reduceListed(input, readList(params, 'axis') ?? [-1]);
    case 'LayerNormalization': {
      const axes = readList(params, 'axes');
      return axes !== undefined
        ? reduceListed(input, axes)
        : reduceFromAxis(input, readNumber(params, 'axis') ?? -1);
    }
    case 'SkipLayerNormalization':
      return reduceTrailing(input, 1, undefined, ' of input + skip (+ bias)');
    default: {
      const shape = readList(params, 'normalized_shape');
      return reduceTrailing(input, shape?.length, shape);
    }
  }
}

const at32 = GROUPNORM_PAPER_TABLE.rows[0];

/** Layer normalization. */
export const LAYER_NORM = defineDescriptor(
  {
    kind: 'layernorm',
    title: 'Layer normalization',
    summary:
      'Normalizes each sample or token with the mean and variance of its own features, independently of the batch.',
    formula:
      'y = (x − E[x]) / √(Var[x] + ε) · γ + β, with E and biased Var over the normalized dims of each row',
    strengths: [
      `Independent of the batch: the same computation in training and inference, at batch 1 and at every RNN time step ${cite(CITATIONS.layerNorm)}.`,
      `The standard in Transformers; the pre-LN placement trains without learning-rate warm-up ${cite(CITATIONS.preLayerNorm)}.`,
      `Also works in modern ConvNets when applied over the channels at each position ${cite(CITATIONS.convNext)}.`,
    ],
    weaknesses: [
      `Over C × H × W in a ResNet-50 it trails BN at normal batch sizes: ${GROUPNORM_PAPER_TABLE.othersAtBatch32.ln}% vs ${at32?.bn}% top-1 error at ${at32?.batch} images/GPU ${cite(CITATIONS.groupNorm)}.`,
      'Statistics depend on each input, so unlike BN it cannot be folded into the preceding layer.',
      `Re-centering is often unnecessary: RMSNorm drops it with comparable quality and 7–64% less running time ${cite(CITATIONS.rmsNorm)}.`,
    ],
    fit:
      `Transformers and RNNs at any batch size ${cite(CITATIONS.layerNorm)}, and channels-last ConvNets ${cite(CITATIONS.convNext)}. ` +
      `For channels-first CNNs with small batches GroupNorm is the usual choice; GroupNorm(1, C) equals LayerNorm over C × H × W. ` +
      `RMSNorm is the cheaper alternative in large language models ${cite(CITATIONS.rmsNorm)}.`,
    citations: [
      CITATIONS.layerNorm,
      CITATIONS.preLayerNorm,
      CITATIONS.convNext,
      CITATIONS.groupNorm,
      CITATIONS.rmsNorm,
    ],
    learnable: [
      'weight γ (normalized_shape), elementwise — tfjs gamma, ONNX Scale',
      'bias β (normalized_shape), elementwise — tfjs beta, ONNX B (optional)',
    ],
    buffers: [],
    training: 'Statistics of each row of the current input; nothing is tracked.',
    inference: 'Identical to training.',
    notes: [
      'LayerNorm(C) on an NCHW tensor normalizes over W: an error unless W == C, and silently wrong when it is. Permute to channels-last or use GroupNorm(1, C).',
      'eps defaults: PyTorch and ONNX 1e-5, tfjs 1e-3, HF BERT and ORT SkipLayerNormalization 1e-12. 1e-12 rounds to 0 in fp16, so a constant row gives 0/0 = NaN when var + eps is computed in fp16.',
      'ONNX axis is the first normalized dim ([axis, rank)); Scale and B broadcast from the trailing dims, so a (C) Scale with axis=1 on NCHW aligns with W, not C.',
      'LayerNorm bias= exists since torch 2.1 (positional index 3); on older torch the 4th positional argument is device.',
    ],
    variants: VARIANTS,
  },
  reduce,
);
