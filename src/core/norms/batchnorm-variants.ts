/**
 * The names and parameters of batch normalization in each framework: BatchNorm1d/2d/3d,
 * LazyBatchNorm*, SyncBatchNorm, torchvision's FrozenBatchNorm2d, the functional forms, tfjs'
 * layer/op/graph op and ONNX BatchNormalization.
 */
import { MOMENTUM_FORMULA } from './conventions';
import {
  INPUT,
  TORCH_FACTORY,
  configKeys,
  named,
  onnxOp,
  positional,
  renamed,
  spec,
  tfjsGraphOp,
  tfjsLayer,
  tfjsOp,
  torchFunctional,
  torchModule,
  torchOp,
} from './params';
import type { VariantSpec } from './types';

const MOMENTUM_CONVENTION_TEXT = `PyTorch: ${MOMENTUM_FORMULA.pytorch}. Keras, tfjs and ONNX: ${MOMENTUM_FORMULA.keras}. Convert with m_keras = 1 − m_pytorch.`;

const NUM_FEATURES = spec('num_features', {}, 'C, the size of dim 1 of the input.');
const EPS = spec(
  'eps',
  { pytorch: 1e-5, tfjs: 1e-3, onnx: 1e-5 },
  'Added to the variance before the square root. tfjs and ONNX call it epsilon (tfjs default 1e-3).',
);
const MOMENTUM = spec(
  'momentum',
  { pytorch: 0.1, tfjs: 0.99, onnx: 0.9 },
  'Weight of the new batch statistic in the running-statistics update. None: cumulative average ' +
    '(factor 1/num_batches_tracked); 0: running statistics never move.',
  { convention: MOMENTUM_CONVENTION_TEXT },
);
const AFFINE = spec('affine', { pytorch: true }, 'Learn a per-channel weight γ and bias β.');
const TRACK = spec(
  'track_running_stats',
  { pytorch: true },
  'Keep running_mean/running_var. False: the buffers are None and batch statistics are used in eval too.',
);
const BIAS_KW = spec(
  'bias',
  { pytorch: true },
  'Learn β (with affine=True). Keyword-only; present in torch 2.13, absent in 1.13 (the first release ' +
    'is not pinned), so check the installed torch before suggesting bias=False.',
  { keywordOnly: true, since: 'torch 2.13' },
);
const MODULE_PARAMS = positional(
  NUM_FEATURES,
  EPS,
  MOMENTUM,
  AFFINE,
  TRACK,
  ...TORCH_FACTORY,
  BIAS_KW,
);
const LAZY_PARAMS = positional(EPS, MOMENTUM, AFFINE, TRACK, ...TORCH_FACTORY, BIAS_KW);

const TENSOR = (name: string, doc: string, optional = true): ReturnType<typeof spec> =>
  spec(name, optional ? { pytorch: null } : {}, doc);

function module(name: string, ranks: string, note: string, lazy = false): VariantSpec {
  return torchModule(name, 'batchnorm', {
    signature: `${name}(${lazy ? '' : 'num_features, '}eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, *, bias=True)`,
    note: `Input ${ranks}. ${note}`,
    params: lazy ? LAZY_PARAMS : MODULE_PARAMS,
  });
}

const LAZY_NOTE = 'num_features is inferred from input.shape[1] on the first forward.';

/** Every BatchNorm variant, per framework. */
export const BATCH_NORM_VARIANTS: readonly VariantSpec[] = [
  module(
    'BatchNorm1d',
    '(N, C) or (N, C, L)',
    'On (N, L, C) sequence tensors it is silently wrong when L == C.',
  ),
  module('BatchNorm2d', '(N, C, H, W)', 'The standard CNN normalization.'),
  module('BatchNorm3d', '(N, C, D, H, W)', 'Video and volumetric CNNs.'),
  module('LazyBatchNorm1d', '(N, C) or (N, C, L)', LAZY_NOTE, true),
  module('LazyBatchNorm2d', '(N, C, H, W)', LAZY_NOTE, true),
  module('LazyBatchNorm3d', '(N, C, D, H, W)', LAZY_NOTE, true),
  torchModule('SyncBatchNorm', 'batchnorm', {
    signature:
      'SyncBatchNorm(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, process_group=None, device=None, dtype=None, *, bias=True)',
    note:
      'Batch statistics are gathered across all processes of process_group (DDP, one GPU per process). ' +
      'Convert a model with SyncBatchNorm.convert_sync_batchnorm.',
    params: positional(
      NUM_FEATURES,
      EPS,
      MOMENTUM,
      AFFINE,
      TRACK,
      spec(
        'process_group',
        { pytorch: null },
        'Processes to synchronize over; None means the whole world.',
      ),
      ...TORCH_FACTORY,
      BIAS_KW,
    ),
  }),
  {
    name: 'FrozenBatchNorm2d',
    framework: 'pytorch',
    aliases: [
      'torchvision.ops.FrozenBatchNorm2d',
      'torchvision.ops.misc.FrozenBatchNorm2d',
      'ops.FrozenBatchNorm2d',
    ],
    signature: 'torchvision.ops.FrozenBatchNorm2d(num_features, eps=1e-05)',
    note:
      'weight, bias, running_mean and running_var are buffers: nothing trains and the statistics never ' +
      'update. Early torchvision versions had no eps (w·rsqrt(rv)); copies of that code (DETR-family ' +
      'backbones) added it because other models produced NaN.',
    params: positional(NUM_FEATURES, EPS),
  },
  torchFunctional('batch_norm', {
    signature:
      'F.batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05)',
    note: 'training defaults to False: without training=True it normalizes with the running statistics passed in.',
    params: positional(
      INPUT,
      TENSOR('running_mean', 'Running mean (C) or None; updated in place when training.', false),
      TENSOR('running_var', 'Running variance (C) or None; updated in place when training.', false),
      TENSOR('weight', 'γ (C).'),
      TENSOR('bias', 'β (C).'),
      spec('training', { pytorch: false }, 'Use batch statistics (and update the running ones).'),
      MOMENTUM,
      EPS,
    ),
  }),
  torchOp('batch_norm', {
    signature:
      'torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled)',
    note: 'The ATen binding: every argument is required and the order differs from F.batch_norm.',
    params: positional(
      INPUT,
      TENSOR('weight', 'γ (C) or None.', false),
      TENSOR('bias', 'β (C) or None.', false),
      TENSOR('running_mean', 'Running mean (C) or None.', false),
      TENSOR('running_var', 'Running variance (C) or None.', false),
      spec('training', {}, 'Use batch statistics.'),
      renamed(MOMENTUM, 'momentum', { defaults: {} }),
      renamed(EPS, 'eps', { defaults: {} }),
      spec('cudnn_enabled', {}, 'Allow the cuDNN kernel.'),
    ),
  }),
  tfjsLayer('batchNormalization', 'BatchNormalization', {
    signature:
      'tf.layers.batchNormalization({axis=-1, momentum=0.99, epsilon=0.001, center=true, scale=true, …})',
    note: 'Channels-last: axis −1 is the channel axis. Keras model.json may store axis as a list ([3]).',
    params: configKeys(
      spec(
        'axis',
        { tfjs: -1, pytorch: 1, onnx: 1 },
        'The channel axis (kept); every other axis is reduced.',
      ),
      renamed(MOMENTUM, 'momentum', {
        doc: 'Weight of the old moving statistic (Keras convention): 0.99 here ≈ PyTorch momentum 0.01.',
      }),
      renamed(EPS, 'epsilon'),
      spec('center', { tfjs: true }, 'Learn an offset β (PyTorch affine/bias).'),
      spec('scale', { tfjs: true }, 'Learn a scale γ (PyTorch affine).'),
      spec('betaInitializer', { tfjs: 'zeros' }, 'Initializer of β.', {
        aliases: ['beta_initializer'],
      }),
      spec('gammaInitializer', { tfjs: 'ones' }, 'Initializer of γ.', {
        aliases: ['gamma_initializer'],
      }),
      spec('movingMeanInitializer', { tfjs: 'zeros' }, 'Initial moving mean.', {
        aliases: ['moving_mean_initializer'],
      }),
      spec('movingVarianceInitializer', { tfjs: 'ones' }, 'Initial moving variance.', {
        aliases: ['moving_variance_initializer'],
      }),
      spec('betaRegularizer', { tfjs: null }, 'Regularizer of β.', {
        aliases: ['beta_regularizer'],
      }),
      spec('gammaRegularizer', { tfjs: null }, 'Regularizer of γ.', {
        aliases: ['gamma_regularizer'],
      }),
      spec('betaConstraint', { tfjs: null }, 'Constraint on β.', { aliases: ['beta_constraint'] }),
      spec('gammaConstraint', { tfjs: null }, 'Constraint on γ.', {
        aliases: ['gamma_constraint'],
      }),
    ),
  }),
  tfjsOp('batchNorm', {
    aliases: [
      'tf.batchNorm2d',
      'tf.batchNorm3d',
      'tf.batchNorm4d',
      'batchNorm2d',
      'batchNorm3d',
      'batchNorm4d',
    ],
    signature: 'tf.batchNorm(x, mean, variance, offset?, scale?, varianceEpsilon=0.001)',
    note:
      'Computes no statistics: it applies the mean and variance passed in. The JSDoc says (x − mean)/(√var + ε), ' +
      'but the kernels compute (x − mean)·scale/√(var + ε) + offset.',
    params: positional(
      spec('x', {}, 'The tensor to normalize.'),
      spec('mean', {}, 'Mean, broadcastable to x (same rank as variance, offset and scale).'),
      spec('variance', {}, 'Variance, broadcastable to x.'),
      spec('offset', { tfjs: null }, 'β, optional.'),
      spec('scale', { tfjs: null }, 'γ, optional.'),
      renamed(EPS, 'varianceEpsilon'),
    ),
  }),
  tfjsGraphOp('FusedBatchNorm', {
    aliases: ['FusedBatchNormV2', 'FusedBatchNormV3'],
    signature: 'FusedBatchNorm{,V2,V3}(x, scale, offset, mean, variance) {epsilon, data_format}',
    note: 'TensorFlow op in a tfjs graph model; the converter usually folds it into _FusedConv2D.',
    params: named(
      renamed(EPS, 'epsilon'),
      spec('data_format', { tfjs: 'NHWC' }, 'NHWC (channel last) or NCHW.'),
    ),
  }),
  onnxOp('BatchNormalization', 'ai.onnx', {
    aliases: ['decomposed BatchNorm', 'decomposed BatchNormalization'],
    opsets: [1, 6, 7, 9, 14, 15],
    signature:
      'BatchNormalization(X, scale, B, input_mean, input_var) → Y[, running_mean, running_var]',
    note:
      'Statistics over N and all spatial dims; a 1-D input means C = 1. Opset 14 added training_mode and ' +
      'cut the outputs to 3; opset 15 split the types (bfloat16 allowed).',
    params: named(
      renamed(EPS, 'epsilon'),
      renamed(MOMENTUM, 'momentum', {
        doc: 'Weight of the old running statistic (Keras convention). The PyTorch exporter writes 1 − momentum.',
      }),
      spec(
        'training_mode',
        { onnx: 0 },
        '1: batch statistics (biased) and running-statistics outputs.',
        {
          since: 'opset 14',
        },
      ),
      spec(
        'spatial',
        { onnx: 1 },
        '0: one statistic per (C × D1 × …) element instead of per channel.',
        {
          until: 'opset 9',
        },
      ),
      spec('is_test', { onnx: 0 }, 'Inference mode flag.', { until: 'opset 7' }),
      spec('consumed_inputs', {}, 'Legacy in-place hint (required in opset 1).', {
        until: 'opset 6',
      }),
    ),
  }),
];
