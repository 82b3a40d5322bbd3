// What one statistic is shared over, per kind, layout and shape: axes and the user-facing phrase.
import assert from 'node:assert/strict';
import { descriptorOf, variantInfo } from '../../../src/core/index';
import type { Framework, ParamValue } from '../../../src/core/index';

interface Case {
  readonly variant: string;
  readonly framework?: Framework;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly shape?: readonly (number | string)[];
  readonly layout?: string;
  readonly axes: readonly number[] | undefined;
  /** Exact phrase, or a pattern it must match. */
  readonly text: string | RegExp;
  readonly values?: number;
}

const cases: readonly Case[] = [
  // BatchNorm
  { variant: 'BatchNorm2d', layout: 'NCHW', axes: [0, 2, 3], text: 'per channel, over N × H × W' },
  { variant: 'BatchNorm2d', axes: [0, 2, 3], text: 'per channel, over N × H × W' },
  {
    variant: 'nn.BatchNorm2d',
    shape: [8, 64, 56, 56],
    axes: [0, 2, 3],
    text: 'per channel, over N × H × W = 8 × 56 × 56 = 25,088 values',
    values: 25088,
  },
  {
    variant: 'BatchNorm2d',
    shape: [1, 4, 1, 1],
    axes: [0, 2, 3],
    text: /1 value — only 1 value per channel: PyTorch raises in training$/,
    values: 1,
  },
  {
    variant: 'BatchNorm2d',
    shape: [8, 64, 56],
    axes: undefined,
    text: /— BatchNorm2d expects 4-D input .*; got 3-D$/,
  },
  {
    variant: 'BatchNorm1d',
    axes: undefined,
    text: 'per channel, over N (2-D input) or N × L (3-D input)',
  },
  {
    variant: 'BatchNorm1d',
    shape: [32, 128],
    axes: [0],
    text: 'per channel, over N = 32 values',
    values: 32,
  },
  {
    variant: 'BatchNorm1d',
    shape: [32, 128, 50],
    axes: [0, 2],
    text: 'per channel, over N × L = 32 × 50 = 1,600 values',
  },
  {
    variant: 'BatchNorm3d',
    shape: [2, 16, 4, 8, 8],
    axes: [0, 2, 3, 4],
    text: /^per channel, over N × D × H × W = 2 × 4 × 8 × 8 = 512 values$/,
  },
  { variant: 'LazyBatchNorm2d', axes: [0, 2, 3], text: 'per channel, over N × H × W' },
  {
    variant: 'SyncBatchNorm',
    shape: [4, 8, 3, 3],
    axes: [0, 2, 3],
    text: /, gathered across all processes in the process group$/,
  },
  { variant: 'FrozenBatchNorm2d', axes: [0, 2, 3], text: /— frozen statistics/ },
  {
    variant: 'F.batch_norm',
    shape: [4, 8, 10],
    axes: [0, 2],
    text: 'per channel, over N × L = 4 × 10 = 40 values',
  },
  {
    variant: 'tf.layers.batchNormalization',
    shape: [8, 56, 56, 64],
    axes: [0, 1, 2],
    text: /^per channel, over N × H × W = 8 × 56 × 56/,
  },
  {
    variant: 'BatchNormalization',
    framework: 'tfjs',
    params: { axis: [3] },
    shape: [8, 56, 56, 64],
    axes: [0, 1, 2],
    text: /^per channel, over N × H × W/,
  },
  {
    variant: 'tf.layers.batchNormalization',
    params: { axis: 1 },
    shape: [8, 64, 56, 56],
    axes: [0, 2, 3],
    text: /^per channel, over N × H × W/,
  },
  {
    variant: 'FusedBatchNormV3',
    shape: [1, 7, 7, 32],
    axes: [0, 1, 2],
    text: /^per channel, over N × H × W/,
  },
  {
    variant: 'FusedBatchNorm',
    params: { data_format: 'NCHW' },
    shape: [1, 32, 7, 7],
    axes: [0, 2, 3],
    text: /^per channel/,
  },
  {
    variant: 'tf.batchNorm',
    shape: [2, 3],
    axes: undefined,
    text: /^with the mean and variance passed in/,
  },
  {
    variant: 'BatchNormalization',
    shape: ['N', 64, 'H', 'W'],
    axes: [0, 2, 3],
    text: 'per channel, over N × H × W',
  },
  // GroupNorm
  {
    variant: 'GroupNorm',
    params: { num_groups: 32, num_channels: 64 },
    layout: 'NCHW',
    axes: [1, 2, 3],
    text: 'per sample, over 2 channels × H × W (each of 32 groups)',
  },
  {
    variant: 'GroupNorm',
    params: { num_groups: 32, num_channels: 64 },
    shape: [8, 64, 56, 56],
    axes: [1, 2, 3],
    text: 'per sample, over 2 channels × H × W = 2 × 56 × 56 = 6,272 values (each of 32 groups)',
    values: 6272,
  },
  {
    variant: 'GroupNorm',
    params: { num_groups: 3, num_channels: 10 },
    axes: undefined,
    text: /invalid: 10 channels are not divisible by 3 groups$/,
  },
  {
    variant: 'F.group_norm',
    params: { num_groups: 4 },
    shape: [2, 6, 3, 3],
    axes: undefined,
    text: /6 channels are not divisible by 4 groups/,
  },
  {
    variant: 'GroupNorm',
    params: { num_groups: 1, num_channels: 64 },
    shape: [8, 64, 4, 4],
    axes: [1, 2, 3],
    text: /\(a single group\) — same as LayerNorm/,
  },
  {
    variant: 'GroupNorm',
    params: { num_groups: 8, num_channels: 8 },
    shape: [2, 8, 5, 5],
    axes: [1, 2, 3],
    text: /— same as InstanceNorm$/,
  },
  {
    variant: 'GroupNorm',
    params: { num_groups: 8, num_channels: 8 },
    shape: [1, 8, 1, 1],
    axes: [1, 2, 3],
    text: /only 1 value per group: PyTorch raises, even in eval$/,
    values: 1,
  },
  {
    variant: 'GroupNorm',
    params: { num_groups: 32 },
    axes: undefined,
    text: 'per sample, over C/32 channels × spatial dims (each of 32 groups)',
  },
  {
    variant: 'GroupNormalization',
    params: { num_groups: 2 },
    shape: [1, 8, 4],
    axes: [1, 2],
    text: 'per sample, over 4 channels × L = 4 × 4 = 16 values (each of 2 groups)',
  },
  {
    variant: 'GroupNorm',
    framework: 'onnx',
    params: { groups: 32 },
    shape: [2, 16, 16, 320],
    axes: [1, 2, 3],
    text: /^per sample, over 10 channels × H × W = 10 × 16 × 16/,
  },
  {
    variant: 'com.microsoft.GroupNorm',
    params: { groups: 32, channels_last: 0 },
    shape: [2, 320, 16, 16],
    axes: [1, 2, 3],
    text: /^per sample, over 10 channels × H × W/,
  },
  // LayerNorm
  {
    variant: 'LayerNorm',
    params: { normalized_shape: [768] },
    layout: 'N×L×D',
    axes: [2],
    text: 'per token, over the last dim (768)',
    values: 768,
  },
  {
    variant: 'LayerNorm',
    params: { normalized_shape: 768 },
    shape: [8, 512, 768],
    axes: [2],
    text: 'per token, over the last dim (768)',
  },
  {
    variant: 'LayerNorm',
    params: { normalized_shape: [768] },
    axes: undefined,
    text: 'per row, over the last dim (768)',
  },
  {
    variant: 'LayerNorm',
    params: { normalized_shape: [768] },
    shape: [4, 768],
    axes: [1],
    text: 'per sample, over the last dim (768)',
  },
  {
    variant: 'F.layer_norm',
    params: { normalized_shape: [64, 56, 56] },
    shape: [8, 64, 56, 56],
    axes: [1, 2, 3],
    text: 'per sample, over the last 3 dims (C × H × W = 64 × 56 × 56 = 200,704 values)',
  },
  {
    variant: 'LayerNorm',
    params: { normalized_shape: [10] },
    shape: [2, 5, 8],
    axes: [2],
    text: 'per token, over the last dim (8) — mismatch: normalized_shape [10] but the input ends in [8]',
  },
  {
    variant: 'LayerNorm',
    params: { normalized_shape: [56] },
    shape: [8, 64, 56, 56],
    axes: [3],
    text: /^per N × C × H position, over the last dim \(56\) — C is not normalized$/,
  },
  {
    variant: 'LayerNorm',
    params: { normalized_shape: [64] },
    shape: [8, 56, 56, 64],
    layout: 'NHWC',
    axes: [3],
    text: 'per N × H × W position, over the last dim (64)',
  },
  {
    variant: 'LayerNormalization',
    shape: [8, 512, 768],
    axes: [2],
    text: 'per token, over the last dim (768)',
  },
  {
    variant: 'LayerNormalization',
    params: { axis: 1 },
    shape: [8, 64, 56, 56],
    axes: [1, 2, 3],
    text: /^per sample, over the last 3 dims/,
  },
  {
    variant: 'LayerNormalization',
    params: { axis: -2 },
    axes: undefined,
    text: 'per row, over the last 2 dims',
  },
  {
    variant: 'decomposed LayerNorm',
    params: { axes: [-1] },
    shape: [1, 7, 32],
    axes: [2],
    text: 'per token, over D = 32 values',
  },
  {
    variant: 'tf.layers.layerNormalization',
    params: { axis: [1, 3] },
    shape: [8, 64, 56, 56],
    axes: [1, 3],
    text: /^per N × H position, over C × W = 64 × 56 = 3,584 values/,
  },
  {
    variant: 'tf.layers.layerNormalization',
    shape: [8, 512, 768],
    axes: [2],
    text: 'per token, over D = 768 values',
  },
  {
    variant: 'SkipLayerNormalization',
    shape: [8, 128, 768],
    axes: [2],
    text: 'per token, over the last dim (768) of input + skip (+ bias)',
  },
  // InstanceNorm
  {
    variant: 'InstanceNorm2d',
    shape: [8, 64, 56, 56],
    axes: [2, 3],
    text: 'per sample and channel, over H × W = 56 × 56 = 3,136 values',
  },
  {
    variant: 'InstanceNorm2d',
    shape: [64, 56, 56],
    axes: [1, 2],
    text: 'per channel, over H × W = 56 × 56 = 3,136 values (unbatched input)',
  },
  {
    variant: 'InstanceNorm1d',
    shape: [4, 3, 100],
    axes: [2],
    text: 'per sample and channel, over L = 100 values',
  },
  {
    variant: 'InstanceNorm2d',
    shape: [8, 64, 1, 1],
    axes: [2, 3],
    text: /only 1 spatial value: PyTorch raises, ONNX outputs ≈ B$/,
    values: 1,
  },
  { variant: 'InstanceNorm2d', axes: [2, 3], text: 'per sample and channel, over H × W' },
  {
    variant: 'InstanceNormalization',
    shape: [2, 3, 4, 5, 6],
    axes: [2, 3, 4],
    text: /^per sample and channel, over D × H × W = 4 × 5 × 6 = 120 values$/,
  },
  { variant: 'Addons>InstanceNormalization', axes: undefined, text: /not available in tfjs$/ },
  // RMSNorm
  {
    variant: 'RMSNorm',
    params: { normalized_shape: [4096] },
    shape: [1, 4096, 4096],
    axes: [2],
    text: 'per token, over the last dim (4,096)',
  },
  {
    variant: 'F.rms_norm',
    params: { normalized_shape: [8, 16] },
    shape: [2, 3, 8, 16],
    axes: [2, 3],
    text: 'per sample and channel, over the last 2 dims (H × W = 8 × 16 = 128 values) — C is not normalized',
  },
  {
    variant: 'RMSNormalization',
    shape: [1, 7, 64],
    axes: [2],
    text: 'per token, over the last dim (64)',
  },
  {
    variant: 'SimplifiedLayerNormalization',
    shape: [1, 7, 64],
    axes: [2],
    text: 'per token, over the last dim (64)',
  },
  {
    variant: 'SkipSimplifiedLayerNormalization',
    shape: [7, 64],
    axes: [1],
    text: /^per sample, over the last dim \(64\) of input \+ skip/,
  },
  // LRN
  {
    variant: 'LocalResponseNorm',
    params: { size: 5 },
    shape: [8, 64, 56, 56],
    axes: [1],
    text: 'per N × H × W position, over a window of 5 channels (c − 2 … c + 2): sum of squares, α divided by 5',
  },
  {
    variant: 'LocalResponseNorm',
    params: { size: 2 },
    axes: undefined,
    text: /window of 2 channels \(c − 1 … c\)/,
  },
  {
    variant: 'LRN',
    params: { size: 2 },
    axes: undefined,
    text: /window of 2 channels \(c … c \+ 1\).*ONNX Runtime rejects even sizes$/,
  },
  {
    variant: 'LRN',
    params: { size: 5 },
    shape: [1, 8, 3, 3],
    axes: [1],
    text: /window of 5 channels \(c − 2 … c \+ 2\)/,
  },
  {
    variant: 'tf.localResponseNormalization',
    shape: [8, 56, 56, 64],
    axes: [3],
    text: /window of 11 channels \(c − 5 … c \+ 5\): sum of squares, α not divided$/,
  },
  {
    variant: 'LRN',
    framework: 'tfjs',
    params: { depth_radius: 2 },
    axes: undefined,
    text: /window of 5 channels \(c − 2 … c \+ 2\)/,
  },
  // Other
  { variant: 'MeanVarianceNormalization', axes: [0, 2, 3], text: 'per channel, over N × H × W' },
  {
    variant: 'MeanVarianceNormalization',
    params: { axes: [2, 3] },
    shape: [8, 64, 56, 56],
    axes: [2, 3],
    text: /^per sample and channel, over H × W/,
  },
  {
    variant: 'F.normalize',
    shape: [8, 512],
    axes: [1],
    text: 'per sample, over C = 512 values (L2 norm)',
  },
  {
    variant: 'LpNormalization',
    params: { p: 1 },
    shape: [8, 512],
    axes: [1],
    text: /\(L1 norm\)$/,
  },
];

describe('reduction', () => {
  for (const c of cases) {
    const where = c.shape === undefined ? (c.layout ?? 'no shape') : `[${c.shape.join(', ')}]`;
    it(`${c.variant} ${JSON.stringify(c.params ?? {})} on ${where}`, () => {
      const info = variantInfo(c.variant, c.framework);
      assert.ok(info, `unknown variant ${c.variant}`);
      const result = descriptorOf(info.kind).reduction({
        variant: c.variant,
        framework: info.framework,
        params: c.params ?? {},
        ...(c.shape === undefined ? {} : { shape: c.shape }),
        ...(c.layout === undefined ? {} : { layout: c.layout }),
      });
      assert.deepEqual(result.axes, c.axes);
      if (typeof c.text === 'string') {
        assert.equal(result.text, c.text);
      } else {
        assert.match(result.text, c.text);
      }
      if (c.values !== undefined) {
        assert.equal(result.values, c.values);
      }
    });
  }

  it('GroupNorm reports its group count next to the partially reduced channel axis', () => {
    const r = descriptorOf('groupnorm').reduction({
      variant: 'GroupNorm',
      framework: 'pytorch',
      params: { num_groups: 32, num_channels: 64 },
      shape: [2, 64, 8, 8],
    });
    assert.equal(r.groups, 32);
  });

  it('an unknown variant still gets the kind’s generic phrase', () => {
    const r = descriptorOf('batchnorm').reduction({
      variant: 'MyBN',
      framework: 'pytorch',
      params: {},
    });
    assert.equal(r.axes, undefined);
    assert.match(r.text, /^per channel/);
  });
});
