/**
 * Group normalization: PyTorch GroupNorm and its functional forms, ONNX GroupNormalization (18
 * per-group affine, 21 per-channel), ONNX Runtime's GroupNorm/SkipGroupNorm, and the Keras class
 * tfjs cannot load.
 */
import { CITATIONS, citeLabel as cite } from './citations';
import { defineDescriptor } from './descriptor';
import { GROUPNORM_PAPER_TABLE } from './groupnorm-table';
import { dimsOf, formatCount, overPhrase, readNumber, remarks } from './layout';
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

const NUM_GROUPS = spec(
  'num_groups',
  { tfjs: 32 },
  'G, the number of channel groups; C must be divisible by it.',
);
const EPS = spec(
  'eps',
  { pytorch: 1e-5, onnx: 1e-5, tfjs: 1e-3 },
  'Added to the variance before the square root; ONNX epsilon (Keras GroupNormalization 1e-3).',
);
const WEIGHT = spec('weight', { pytorch: null }, 'γ (C), per channel.');
const BIAS_TENSOR = spec('bias', { pytorch: null }, 'β (C), per channel.');

const ORT_ATTRIBUTES: readonly ParamSpec[] = named(
  spec('groups', {}, 'G, the number of channel groups (required).'),
  spec('activation', {}, 'Fused activation after the affine: 0 none, 1 SiLU (required).'),
  spec('channels_last', { onnx: 1 }, '1: input is NHWC (the default); 0: NCHW.'),
  spec('epsilon', { onnx: 1e-5 }, EPS.doc),
);

const VARIANTS: readonly VariantSpec[] = [
  torchModule('GroupNorm', 'normalization', {
    signature:
      'GroupNorm(num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None, *, bias=True)',
    note: 'num_groups comes first. Input (N, C, *).',
    params: positional(
      NUM_GROUPS,
      spec('num_channels', {}, 'C, the size of dim 1 of the input.'),
      EPS,
      spec('affine', { pytorch: true }, 'Learn a per-channel γ and β.'),
      ...TORCH_FACTORY,
      spec(
        'bias',
        { pytorch: true },
        'Learn β (with affine=True). Keyword-only; present in torch 2.13, absent in 1.13.',
        {
          keywordOnly: true,
          since: 'torch 2.13',
        },
      ),
    ),
  }),
  torchFunctional('group_norm', {
    signature: 'F.group_norm(input, num_groups, weight=None, bias=None, eps=1e-05)',
    params: positional(INPUT, NUM_GROUPS, WEIGHT, BIAS_TENSOR, EPS),
  }),
  torchOp('group_norm', {
    signature:
      'torch.group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True)',
    params: positional(
      INPUT,
      NUM_GROUPS,
      WEIGHT,
      BIAS_TENSOR,
      EPS,
      spec('cudnn_enabled', { pytorch: true }, 'Allow the cuDNN kernel.'),
    ),
  }),
  onnxOp('GroupNormalization', 'ai.onnx', {
    aliases: ['decomposed GroupNorm', 'decomposed GroupNormalization'],
    opsets: [18, 21],
    deprecatedOpsets: [18],
    signature: 'GroupNormalization(X, scale, bias) → Y',
    note:
      'Opset 18 (deprecated) takes scale and bias per group (G) and casts epsilon to the input type; opset 21 takes ' +
      'them per channel (C), as PyTorch does, and computes in stash_type precision. ORT rejects a (G) scale at opset 21.',
    params: named(
      spec('epsilon', { onnx: 1e-5, pytorch: 1e-5 }, EPS.doc),
      spec('num_groups', {}, 'G, the number of channel groups (required).'),
      spec('stash_type', { onnx: 1 }, 'Precision of the statistics: 1 = float32.', {
        since: 'opset 21',
      }),
    ),
  }),
  onnxOp('GroupNorm', 'com.microsoft', {
    opsets: [1],
    signature: 'GroupNorm(X, gamma, beta) → Y',
    note: 'ONNX Runtime contrib op: per-channel affine, NHWC by default, optional fused SiLU.',
    params: ORT_ATTRIBUTES,
  }),
  onnxOp('SkipGroupNorm', 'com.microsoft', {
    opsets: [1],
    signature: 'SkipGroupNorm(X, gamma, beta, skip[, bias]) → Y[, S]',
    note: 'ONNX Runtime contrib op: GroupNorm of X + skip (+ bias), NHWC by default.',
    params: ORT_ATTRIBUTES,
  }),
  {
    name: 'GroupNormalization',
    framework: 'tfjs',
    aliases: [],
    signature:
      'keras.layers.GroupNormalization(groups=32, axis=-1, epsilon=0.001, …) (class name in model.json)',
    note: 'tfjs has no GroupNormalization: loading fails with "Unknown layer: …" unless a custom class is registered.',
    params: named(
      spec('groups', { tfjs: 32 }, 'G, the number of channel groups.'),
      spec('axis', { tfjs: -1 }, 'The channel axis.'),
      spec('epsilon', { tfjs: 1e-3 }, EPS.doc),
    ),
  },
];

/** "(each of 32 groups)". */
function groupText(groups: number | undefined): string {
  if (groups === undefined) {
    return ' (each of G groups)';
  }
  return groups === 1 ? ' (a single group)' : ` (each of ${formatCount(groups)} groups)`;
}

/** The equivalences G = 1 (LayerNorm) and G = C (InstanceNorm). */
function equivalence(groups: number | undefined, channels: number | undefined): string | undefined {
  if (groups === 1) {
    return 'same as LayerNorm over C and the spatial dims, up to the affine';
  }
  return groups !== undefined && groups === channels ? 'same as InstanceNorm' : undefined;
}

function reduce(variant: VariantSpec | undefined, input: ReductionInput): Reduction {
  const groups = readNumber(input.params, 'num_groups', 'groups');
  const ortLayout = variant?.domain === 'com.microsoft' || variant?.framework === 'tfjs';
  const channelsLast = ortLayout && readNumber(input.params, 'channels_last') !== 0;
  const dims = dimsOf(input, channelsLast ? 'channels-last' : 'channels-first');
  const rank = dims.rank;
  const channelAxis = rank === undefined ? undefined : channelsLast ? rank - 1 : 1;
  const channels =
    readNumber(input.params, 'num_channels') ??
    (channelAxis === undefined ? undefined : dims.sizes[channelAxis]);
  const g = groups === undefined ? 'G' : formatCount(groups);
  if (groups !== undefined && channels !== undefined && channels % groups !== 0) {
    return {
      axes: undefined,
      text: `per sample, over C/${g} channels — invalid: ${channels} channels are not divisible by ${g} groups`,
    };
  }
  const perGroup = groups !== undefined && channels !== undefined ? channels / groups : undefined;
  const channelLabel =
    perGroup === undefined
      ? `C/${g} channels`
      : `${formatCount(perGroup)} ${perGroup === 1 ? 'channel' : 'channels'}`;
  const spatialAxes =
    rank === undefined
      ? []
      : Array.from({ length: rank }, (_, i) => i).filter((i) => i !== 0 && i !== channelAxis);
  const labels =
    rank === undefined
      ? [channelLabel, 'spatial dims']
      : [channelLabel, ...spatialAxes.map((a) => dims.labels[a] ?? '?')];
  const over =
    rank === undefined
      ? { text: labels.join(' × ') }
      : overPhrase(labels, [perGroup, ...spatialAxes.map((a) => dims.sizes[a])]);
  const degenerate =
    'values' in over && over.values === 1
      ? 'only 1 value per group: PyTorch raises, even in eval'
      : undefined;
  const text = `per sample, over ${over.text}${groupText(groups)}${remarks(equivalence(groups, channels), degenerate)}`;
  const axes =
    rank === undefined
      ? undefined
      : [...(channelAxis === undefined ? [] : [channelAxis]), ...spatialAxes].sort((a, b) => a - b);
  return {
    axes,
    text,
    ...('values' in over && over.values !== undefined ? { values: over.values } : {}),
    ...(groups === undefined ? {} : { groups }),
  };
}

const rows = GROUPNORM_PAPER_TABLE.rows;
const [large, small] = [rows[0], rows.at(-1)];

/** Group normalization. */
export const GROUP_NORM = defineDescriptor(
  {
    kind: 'groupnorm',
    title: 'Group normalization',
    summary:
      'Splits the channels into G groups and normalizes each group of each sample with its own mean and variance, independently of the batch.',
    formula:
      'y = (x − E[x]) / √(Var[x] + ε) · γ_c + β_c, with E and biased Var per (sample, group) over C/G channels × spatial dims',
    strengths: [
      `Accuracy is stable across batch sizes: ResNet-50 top-1 error ${large?.gn}% at ${large?.batch} images/GPU and ${small?.gn}% at ${small?.batch}, where BN reaches ${small?.bn}% ${cite(CITATIONS.groupNorm)}.`,
      `Same computation in training and inference: no running statistics to synchronize or re-estimate ${cite(CITATIONS.groupNorm)}.`,
      `Transfers to detection, segmentation and video, where memory limits the per-GPU batch ${cite(CITATIONS.groupNorm)}.`,
    ],
    weaknesses: [
      `At normal batch sizes BN is slightly better: ${large?.bn}% vs ${large?.gn}% at ${large?.batch} images/GPU ${cite(CITATIONS.groupNorm)}.`,
      'Statistics depend on each input, so it cannot be folded into the preceding convolution.',
      'C must be divisible by G; the default G = 32 does not fit narrow layers.',
    ],
    fit:
      `CNNs with small per-device batches: detection, segmentation, video and high-resolution models ${cite(CITATIONS.groupNorm)}; ` +
      `with Weight Standardization it also trains well with micro-batches ${cite(CITATIONS.weightStandardization)}. ` +
      'G = 32 is the usual default; GroupNorm(1, C) equals LayerNorm over C × H × W and GroupNorm(C, C) equals InstanceNorm.',
    citations: [CITATIONS.groupNorm, CITATIONS.weightStandardization],
    learnable: [
      'weight γ (C), per channel — ONNX scale: (G) per group in opset 18, (C) in opset 21',
      'bias β (C), per channel — ONNX bias, same shapes',
    ],
    buffers: [],
    training: 'Statistics of each (sample, group) of the current input; nothing is tracked.',
    inference: 'Identical to training.',
    notes: [
      'PyTorch order is GroupNorm(num_groups, num_channels): GroupNorm(64, 32) asks for 64 groups of 32 channels and raises "num_channels (32) must be divisible by num_groups (64)".',
      'The PyTorch TorchScript exporter always decomposes GroupNorm into Reshape → InstanceNormalization → Reshape → Mul → Add.',
      'A per-channel bias before GroupNorm with C/G > 1 is not cancelled: only its per-group average is removed.',
    ],
    variants: VARIANTS,
  },
  reduce,
);
