/**
 * Instance normalization: PyTorch InstanceNorm1d/2d/3d (and Lazy), the functional forms and ONNX
 * InstanceNormalization. tfjs has none; the Keras/TF-Addons class name is listed so that a
 * model.json using it can be explained.
 */
import { CITATIONS, citeLabel as cite } from './citations';
import { defineDescriptor } from './descriptor';
import { GROUPNORM_PAPER_TABLE } from './groupnorm-table';
import { allAxesExcept, dimsOf, rankProblem, reduceOver, remarks } from './layout';
import {
  INPUT,
  TORCH_FACTORY,
  named,
  onnxOp,
  positional,
  spec,
  torchFunctional,
  torchModule,
  torchOp,
} from './params';
import type { ParamSpec, Reduction, ReductionInput, VariantSpec } from './types';

const NUM_FEATURES = spec('num_features', {}, 'C, the size of dim 1 (dim 0 for unbatched input).');
const EPS = spec(
  'eps',
  { pytorch: 1e-5, onnx: 1e-5 },
  'Added to the variance before the square root; ONNX epsilon.',
);
const MOMENTUM = spec(
  'momentum',
  { pytorch: 0.1 },
  'Weight of the new statistic in the running-statistics update (only with track_running_stats=True).',
  {
    convention:
      'PyTorch convention, as in BatchNorm: running ← (1 − momentum)·running + momentum·batch.',
  },
);
const BIAS_KW = spec(
  'bias',
  { pytorch: true },
  'Learn β (with affine=True). Keyword-only; present in torch 2.13, absent in 1.13.',
  { keywordOnly: true, since: 'torch 2.13' },
);

function flags(affine: boolean): readonly ParamSpec[] {
  return [
    spec(
      'affine',
      { pytorch: affine },
      'Learn a per-channel γ and β. Unlike BatchNorm, InstanceNorm defaults to False.',
    ),
    spec(
      'track_running_stats',
      { pytorch: affine },
      'Keep running statistics and use them in eval. Unlike BatchNorm, InstanceNorm defaults to False.',
    ),
  ];
}

/** Batched rank of each module; the unbatched form has one dim less. */
const MODULE_RANKS: Readonly<Record<string, number>> = {
  InstanceNorm1d: 3,
  InstanceNorm2d: 4,
  InstanceNorm3d: 5,
};
const SPATIAL: Readonly<Record<number, string>> = { 3: 'L', 4: 'HW', 5: 'DHW' };

function module(name: string, rank: number): VariantSpec {
  const shape = `(N, C, ${[...(SPATIAL[rank] ?? '')].join(', ')})`;
  return torchModule(name, 'instancenorm', {
    signature: `${name}(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None, *, bias=True)`,
    note: `Input ${shape}, or unbatched without N.`,
    params: positional(NUM_FEATURES, EPS, MOMENTUM, ...flags(false), ...TORCH_FACTORY, BIAS_KW),
  });
}

function lazy(name: string): VariantSpec {
  return torchModule(`Lazy${name}`, 'instancenorm', {
    signature: `Lazy${name}(eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, *, bias=True)`,
    note:
      'num_features is inferred from the input on the first forward. In torch 1.13 the real defaults are ' +
      'affine=True and track_running_stats=True (inherited from the lazy base class), although the docstring says False.',
    params: positional(EPS, MOMENTUM, ...flags(true), ...TORCH_FACTORY, BIAS_KW),
  });
}

const TENSOR = (name: string, doc: string): ParamSpec => spec(name, { pytorch: null }, doc);

const VARIANTS: readonly VariantSpec[] = [
  module('InstanceNorm1d', 3),
  module('InstanceNorm2d', 4),
  module('InstanceNorm3d', 5),
  lazy('InstanceNorm1d'),
  lazy('InstanceNorm2d'),
  lazy('InstanceNorm3d'),
  torchFunctional('instance_norm', {
    signature:
      'F.instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-05)',
    params: positional(
      INPUT,
      TENSOR('running_mean', 'Running mean (C), updated when use_input_stats.'),
      TENSOR('running_var', 'Running variance (C), updated when use_input_stats.'),
      TENSOR('weight', 'γ (C).'),
      TENSOR('bias', 'β (C).'),
      spec(
        'use_input_stats',
        { pytorch: true },
        'Normalize with the statistics of the input itself.',
      ),
      MOMENTUM,
      EPS,
    ),
  }),
  torchOp('instance_norm', {
    signature:
      'torch.instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled)',
    note: 'The ATen binding: every argument is required and the order differs from F.instance_norm.',
    params: positional(
      INPUT,
      ...['weight', 'bias', 'running_mean', 'running_var'].map((n) =>
        spec(n, {}, `${n} tensor or None.`),
      ),
      spec('use_input_stats', {}, 'Normalize with the statistics of the input itself.'),
      spec('momentum', {}, MOMENTUM.doc, { convention: MOMENTUM.convention ?? '' }),
      spec('eps', {}, EPS.doc),
      spec('cudnn_enabled', {}, 'Allow the cuDNN kernel.'),
    ),
  }),
  onnxOp('InstanceNormalization', 'ai.onnx', {
    aliases: ['decomposed InstanceNorm', 'decomposed InstanceNormalization'],
    opsets: [1, 6, 22],
    signature: 'InstanceNormalization(input, scale, B) → output',
    note: 'No running statistics and no training mode; scale and B (C) are required. On 1×1 maps the output is ≈ B.',
    params: named(spec('epsilon', { onnx: 1e-5, pytorch: 1e-5 }, EPS.doc)),
  }),
  {
    name: 'Addons>InstanceNormalization',
    framework: 'tfjs',
    aliases: ['InstanceNormalization'],
    signature: 'tfa.layers.InstanceNormalization (Keras / TF-Addons class name in model.json)',
    note: 'tfjs has no InstanceNormalization: loading fails with "Unknown layer: …" unless a custom class is registered.',
    params: [],
  },
];

const GENERIC = 'per sample and channel, over the spatial dims';

function reduce(variant: VariantSpec | undefined, input: ReductionInput): Reduction {
  const batchedRank = MODULE_RANKS[variant?.name.replace(/^Lazy/, '') ?? ''];
  const rank = input.shape?.length;
  // Modules also accept input without the batch dim; name its dims C + spatial.
  const unbatched =
    batchedRank !== undefined && rank === batchedRank - 1 && input.layout === undefined;
  const layout = unbatched ? `C${SPATIAL[batchedRank] ?? ''}` : input.layout;
  const dims = dimsOf(
    layout === undefined ? input : { ...input, layout },
    'channels-first',
    batchedRank,
  );
  if (variant?.framework === 'tfjs') {
    return {
      axes: undefined,
      text: `${GENERIC}${remarks('not available in tfjs')}`,
    };
  }
  if (dims.rank === undefined) {
    return { axes: undefined, text: GENERIC };
  }
  const allowed = batchedRank === undefined ? [] : [batchedRank, batchedRank - 1];
  const problem =
    batchedRank === undefined ? undefined : rankProblem(dims, allowed, 'N, C, spatial…');
  if (problem !== undefined || dims.rank < (unbatched ? 2 : 3)) {
    return {
      axes: undefined,
      text:
        GENERIC +
        remarks(
          `${variant?.name ?? 'InstanceNorm'} ${problem ?? 'expects at least 3-D input (N, C, spatial…)'}`,
        ),
    };
  }
  const result = reduceOver(
    dims,
    allAxesExcept(dims.rank, ...(unbatched ? [0] : [0, 1])),
    unbatched ? ' (unbatched input)' : '',
  );
  return result.values === 1
    ? {
        ...result,
        text: result.text + remarks('only 1 spatial value: PyTorch raises, ONNX outputs ≈ B'),
      }
    : result;
}

const at32 = GROUPNORM_PAPER_TABLE.rows[0];

/** Instance normalization. */
export const INSTANCE_NORM = defineDescriptor(
  {
    kind: 'instancenorm',
    title: 'Instance normalization',
    summary:
      'Normalizes each channel of each sample with its own spatial mean and variance, removing per-image contrast and style.',
    formula:
      'y = (x − E[x]) / √(Var[x] + ε) · γ + β, with E and biased Var per (sample, channel) over the spatial dims',
    strengths: [
      `Removes instance-specific contrast, which markedly improves feed-forward style transfer ${cite(CITATIONS.instanceNorm)}.`,
      `Batch-independent, and the basis of style modulation: AdaIN replaces the per-channel mean and std with another image's ${cite(CITATIONS.adaIn)}.`,
    ],
    weaknesses: [
      `Discards per-channel statistics that recognition needs: ResNet-50 top-1 error ${GROUPNORM_PAPER_TABLE.othersAtBatch32.in}% vs BN ${at32?.bn}% at ${at32?.batch} images/GPU ${cite(CITATIONS.groupNorm)}.`,
      'Needs more than one spatial element: on 1×1 maps the output collapses to β (PyTorch raises).',
      'PyTorch defaults to affine=False and track_running_stats=False, so there is no learnable γ/β unless asked.',
    ],
    fit:
      `Style transfer and image generation ${cite(CITATIONS.instanceNorm)} ${cite(CITATIONS.adaIn)}. For recognition and detection ` +
      `prefer BatchNorm or GroupNorm; GroupNorm(C, C) equals InstanceNorm ${cite(CITATIONS.groupNorm)}.`,
    citations: [CITATIONS.instanceNorm, CITATIONS.adaIn, CITATIONS.groupNorm],
    learnable: [
      'weight γ (C) — only with affine=True (PyTorch default False); ONNX scale (required input)',
      'bias β (C) — only with affine=True; ONNX B',
    ],
    buffers: [
      'running_mean, running_var (C) — only with track_running_stats=True (PyTorch default False)',
      'num_batches_tracked — only with track_running_stats=True',
    ],
    training:
      'Statistics of each (sample, channel) over the spatial dims. With track_running_stats=True PyTorch also updates running statistics, as BatchNorm does.',
    inference:
      'Same as training by default (use_input_stats = training or not track_running_stats); only with track_running_stats=True does eval use running statistics.',
    notes: [
      'With affine=False a channel count that differs from num_features is only a UserWarning; with affine=True it raises.',
      'A per-channel bias right before InstanceNorm is cancelled, as before BatchNorm.',
      'AdaIN reference code often uses the unbiased var() + eps, unlike InstanceNorm2d (biased), and gives NaN on 1×1 maps.',
    ],
    variants: VARIANTS,
  },
  reduce,
);
