import { biasBeforeBn } from '../../../src/core/rules/bias-before-bn';
import { dropoutBeforeBn } from '../../../src/core/rules/dropout-before-bn';
import { normFeaturesMismatch } from '../../../src/core/rules/norm-features-mismatch';
import type { NormKind, PythonSiteContext } from '../../../src/core/index';
import { byDefault, lineRange, literal, pytorchSite } from '../helpers/sites';
import { describeRule } from './cases';

type Producer = NonNullable<PythonSiteContext['producer']>;

/** A Conv2d producer with `out` channels; `without` drops fields the extraction may not know. */
function conv(
  out: number,
  options: Partial<Producer> = {},
  without: readonly (keyof Producer)[] = [],
): Producer {
  const full: Producer = {
    layer: 'Conv2d',
    name: 'conv1',
    outputChannels: out,
    useBias: true,
    range: lineRange(4, 8, 20),
    via: 'sequential',
    disableBias: {
      range: { start: { line: 4, character: 27 }, end: { line: 4, character: 27 } },
      newText: ', bias=False',
    },
    ...options,
  };
  return Object.fromEntries(
    Object.entries(full).filter(([key]) => !without.includes(key as keyof Producer)),
  ) as unknown as Producer;
}

const after = (
  variant: string,
  params: Parameters<typeof pytorchSite>[1],
  context: Omit<PythonSiteContext, 'modes'> & Partial<Pick<PythonSiteContext, 'modes'>>,
  kind: NormKind = 'batchnorm',
) => pytorchSite(variant, params, { kind, context: { modes: [], ...context } });

describeRule(normFeaturesMismatch, [
  {
    name: 'BatchNorm2d(32) after a Conv2d with 64 outputs',
    site: after('BatchNorm2d', { num_features: literal(32) }, { producer: conv(64) }),
    expect: ['error'],
    messageHas: [
      "follows Conv2d 'conv1', which outputs 64 channels",
      'running_mean should contain 64 elements not 32',
    ],
    fixes: ['Use num_features=64'],
    edits: ['64'],
  },
  {
    name: 'matching channels',
    site: after('BatchNorm2d', { num_features: literal(64) }, { producer: conv(64) }),
    expect: [],
  },
  {
    name: 'GroupNorm num_channels',
    site: after(
      'GroupNorm',
      { num_groups: literal(8), num_channels: literal(32) },
      { producer: conv(64) },
      'groupnorm',
    ),
    expect: ['error'],
    messageHas: ['Expected weight to be a vector'],
  },
  {
    name: 'InstanceNorm without affine or running statistics ignores num_features (PyTorch only warns)',
    site: after(
      'InstanceNorm2d',
      {
        num_features: literal(32),
        affine: byDefault(false),
        track_running_stats: byDefault(false),
      },
      { producer: conv(64) },
      'instancenorm',
    ),
    expect: [],
  },
  {
    name: 'InstanceNorm with affine',
    site: after(
      'InstanceNorm2d',
      { num_features: literal(32), affine: literal(true, 'True') },
      { producer: conv(64) },
      'instancenorm',
    ),
    expect: ['error'],
  },
  {
    name: 'unknown producer channels',
    site: after(
      'BatchNorm2d',
      { num_features: literal(32) },
      { producer: conv(64, {}, ['outputChannels']) },
    ),
    expect: [],
  },
]);

describeRule(biasBeforeBn, [
  {
    name: 'Conv2d with a bias before BatchNorm2d',
    site: after('BatchNorm2d', { num_features: literal(64) }, { producer: conv(64) }),
    expect: ['hint'],
    fixes: ["Remove the bias of Conv2d 'conv1' (bias=False)"],
    edits: [', bias=False'],
  },
  {
    name: 'bias=False already',
    site: after('BatchNorm2d', {}, { producer: conv(64, { useBias: false }) }),
    expect: [],
  },
  {
    name: 'Linear before BatchNorm1d',
    site: after('BatchNorm1d', {}, { producer: conv(10, { layer: 'Linear', name: 'fc' }) }),
    expect: ['hint'],
  },
  {
    name: 'InstanceNorm2d also cancels a per-channel bias',
    site: after('InstanceNorm2d', {}, { producer: conv(64) }, 'instancenorm'),
    expect: ['hint'],
  },
  {
    name: 'GroupNorm does not cancel it',
    site: after('GroupNorm', {}, { producer: conv(64) }, 'groupnorm'),
    expect: [],
  },
  {
    name: 'LayerNorm does not cancel it',
    site: after('LayerNorm', {}, { producer: conv(64, { layer: 'Linear' }) }, 'layernorm'),
    expect: [],
  },
  {
    name: 'FrozenBatchNorm2d keeps fixed statistics',
    site: after('FrozenBatchNorm2d', {}, { producer: conv(64) }),
    expect: [],
  },
  {
    name: 'a BatchNorm put in eval mode keeps fixed statistics',
    site: after(
      'BatchNorm2d',
      {},
      {
        producer: conv(64),
        modes: [
          { mode: 'eval', target: 'self.bn', message: 'self.bn.eval()', range: lineRange(9) },
        ],
      },
    ),
    expect: [],
  },
  {
    name: 'a ReLU producer',
    site: after('BatchNorm2d', {}, { producer: conv(64, { layer: 'ReLU' }) }),
    expect: [],
  },
  {
    name: 'no edit when **kwargs could set the bias',
    site: after('BatchNorm2d', {}, { producer: conv(64, {}, ['disableBias']) }),
    expect: ['hint'],
    fixes: [],
  },
  {
    name: 'a builder whose bias default is off (Conv2dNormActivation) fires',
    site: after('BatchNorm2d', {}, { producer: conv(64, { via: 'builder', useBias: true }) }),
    expect: ['hint'],
  },
  {
    name: 'an explicit bias=True on a builder is deliberate (RAFT freezes its BatchNorms later)',
    site: after(
      'BatchNorm2d',
      {},
      { producer: conv(64, { via: 'builder', biasRange: lineRange(4, 40, 9) }) },
    ),
    expect: [],
  },
]);

const dropout = (p?: number) => ({
  layer: 'Dropout',
  ...(p === undefined ? {} : { p }),
  range: lineRange(4),
});

describeRule(dropoutBeforeBn, [
  {
    name: 'Dropout(p=0.3) before BatchNorm1d',
    site: after('BatchNorm1d', {}, { dropout: dropout(0.3) }),
    expect: ['warning'],
    messageHas: ['Dropout(p=0.3) feeds'],
  },
  {
    name: 'Dropout() defaults to p=0.5',
    site: after('BatchNorm1d', {}, { dropout: dropout() }),
    expect: ['warning'],
    messageHas: ['p=0.5'],
  },
  {
    name: 'Dropout(p=0) is off',
    site: after('BatchNorm1d', {}, { dropout: dropout(0) }),
    expect: [],
  },
  {
    name: 'dropout before LayerNorm',
    site: after('LayerNorm', {}, { dropout: dropout(0.1) }, 'layernorm'),
    expect: [],
  },
]);
