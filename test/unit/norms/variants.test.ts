// Name resolution for every spelling, per-framework defaults from the reference catalog, and the
// descriptor text's own consistency (every cited label resolves to a listed paper).
import assert from 'node:assert/strict';
import {
  citeLabel,
  DESCRIPTORS,
  descriptorOf,
  knownVariantNames,
  variantInfo,
  variantSpec,
} from '../../../src/core/index';
import type { Framework, NormKind, ParamValue } from '../../../src/core/index';

type Expect = readonly [
  name: string,
  kind: NormKind,
  framework: Framework,
  variant: string,
  hint?: Framework,
];

const names: readonly Expect[] = [
  ['BatchNorm2d', 'batchnorm', 'pytorch', 'BatchNorm2d'],
  ['nn.BatchNorm1d', 'batchnorm', 'pytorch', 'BatchNorm1d'],
  ['torch.nn.BatchNorm3d', 'batchnorm', 'pytorch', 'BatchNorm3d'],
  ['torch.nn.modules.batchnorm.BatchNorm2d', 'batchnorm', 'pytorch', 'BatchNorm2d'],
  ['nn.LazyBatchNorm2d', 'batchnorm', 'pytorch', 'LazyBatchNorm2d'],
  ['torch.nn.SyncBatchNorm', 'batchnorm', 'pytorch', 'SyncBatchNorm'],
  ['torchvision.ops.FrozenBatchNorm2d', 'batchnorm', 'pytorch', 'FrozenBatchNorm2d'],
  ['torchvision.ops.misc.FrozenBatchNorm2d', 'batchnorm', 'pytorch', 'FrozenBatchNorm2d'],
  ['F.batch_norm', 'batchnorm', 'pytorch', 'F.batch_norm'],
  ['torch.nn.functional.batch_norm', 'batchnorm', 'pytorch', 'F.batch_norm'],
  ['torch.batch_norm', 'batchnorm', 'pytorch', 'torch.batch_norm'],
  ['tf.layers.batchNormalization', 'batchnorm', 'tfjs', 'tf.layers.batchNormalization'],
  ['batchNormalization', 'batchnorm', 'tfjs', 'tf.layers.batchNormalization'],
  ['tf.batchNorm4d', 'batchnorm', 'tfjs', 'tf.batchNorm'],
  ['FusedBatchNormV3', 'batchnorm', 'tfjs', 'FusedBatchNorm'],
  ['BatchNormalization', 'batchnorm', 'onnx', 'BatchNormalization'],
  ['BatchNormalization', 'batchnorm', 'tfjs', 'tf.layers.batchNormalization', 'tfjs'],
  ['ai.onnx.BatchNormalization', 'batchnorm', 'onnx', 'BatchNormalization'],
  ['LayerNorm', 'layernorm', 'pytorch', 'LayerNorm'],
  ['torch.nn.functional.layer_norm', 'layernorm', 'pytorch', 'F.layer_norm'],
  ['torch.layer_norm', 'layernorm', 'pytorch', 'torch.layer_norm'],
  ['LayerNormalization', 'layernorm', 'onnx', 'LayerNormalization'],
  ['LayerNormalization', 'layernorm', 'tfjs', 'tf.layers.layerNormalization', 'tfjs'],
  ['decomposed LayerNorm', 'layernorm', 'onnx', 'LayerNormalization'],
  ['SkipLayerNormalization', 'layernorm', 'onnx', 'SkipLayerNormalization'],
  ['com.microsoft.SkipLayerNormalization', 'layernorm', 'onnx', 'SkipLayerNormalization'],
  ['InstanceNorm2d', 'instancenorm', 'pytorch', 'InstanceNorm2d'],
  ['nn.LazyInstanceNorm3d', 'instancenorm', 'pytorch', 'LazyInstanceNorm3d'],
  ['F.instance_norm', 'instancenorm', 'pytorch', 'F.instance_norm'],
  ['InstanceNormalization', 'instancenorm', 'onnx', 'InstanceNormalization'],
  ['InstanceNormalization', 'instancenorm', 'tfjs', 'Addons>InstanceNormalization', 'tfjs'],
  ['GroupNorm', 'groupnorm', 'pytorch', 'GroupNorm'],
  ['GroupNorm', 'groupnorm', 'onnx', 'GroupNorm', 'onnx'],
  ['com.microsoft.SkipGroupNorm', 'groupnorm', 'onnx', 'SkipGroupNorm'],
  ['F.group_norm', 'groupnorm', 'pytorch', 'F.group_norm'],
  ['GroupNormalization', 'groupnorm', 'onnx', 'GroupNormalization'],
  ['GroupNormalization', 'groupnorm', 'tfjs', 'GroupNormalization', 'tfjs'],
  ['RMSNorm', 'rmsnorm', 'pytorch', 'RMSNorm'],
  ['torch.nn.functional.rms_norm', 'rmsnorm', 'pytorch', 'F.rms_norm'],
  ['RMSNormalization', 'rmsnorm', 'onnx', 'RMSNormalization'],
  ['SimplifiedLayerNormalization', 'rmsnorm', 'onnx', 'SimplifiedLayerNormalization'],
  ['SkipSimplifiedLayerNormalization', 'rmsnorm', 'onnx', 'SkipSimplifiedLayerNormalization'],
  ['LocalResponseNorm', 'lrn', 'pytorch', 'LocalResponseNorm'],
  ['nn.CrossMapLRN2d', 'lrn', 'pytorch', 'CrossMapLRN2d'],
  ['F.local_response_norm', 'lrn', 'pytorch', 'F.local_response_norm'],
  ['tf.localResponseNormalization', 'lrn', 'tfjs', 'tf.localResponseNormalization'],
  ['LRN', 'lrn', 'onnx', 'LRN'],
  ['LRN', 'lrn', 'tfjs', 'LRN', 'tfjs'],
  ['MeanVarianceNormalization', 'other', 'onnx', 'MeanVarianceNormalization'],
  ['LpNormalization', 'other', 'onnx', 'LpNormalization'],
  ['F.normalize', 'other', 'pytorch', 'F.normalize'],
];

describe('variantInfo', () => {
  for (const [name, kind, framework, variant, hint] of names) {
    it(`${name}${hint === undefined ? '' : ` (${hint})`} → ${framework} ${variant}`, () => {
      assert.deepEqual(variantInfo(name, hint), { kind, framework, variant });
    });
  }

  it('resolves every known name to a variant that lists it', () => {
    for (const name of knownVariantNames()) {
      const info = variantInfo(name);
      assert.ok(info, name);
      const spec = variantSpec(name);
      assert.ok(spec?.name === name || spec?.aliases.includes(name), name);
      assert.ok(spec !== undefined && descriptorOf(info.kind).variants.includes(spec), name);
    }
  });

  it('returns undefined for names that are not normalizations', () => {
    for (const name of ['Conv2d', 'nn.Dropout', 'Relu', 'tf.layers.dense', '']) {
      assert.equal(variantInfo(name), undefined, name);
    }
  });

  it('params() accepts aliases and returns nothing for unknown variants', () => {
    assert.equal(
      descriptorOf('batchnorm').params('torch.nn.BatchNorm2d', 'pytorch')[0]?.name,
      'num_features',
    );
    assert.deepEqual(descriptorOf('batchnorm').params('Conv2d', 'pytorch'), []);
  });
});

/** [variant, framework, parameter, default] from the reference catalog (§A). */
const defaults: readonly (readonly [string, Framework, string, ParamValue])[] = [
  ['tf.layers.batchNormalization', 'tfjs', 'momentum', 0.99],
  ['tf.layers.batchNormalization', 'tfjs', 'epsilon', 1e-3],
  ['tf.layers.batchNormalization', 'tfjs', 'axis', -1],
  ['tf.batchNorm', 'tfjs', 'varianceEpsilon', 1e-3],
  ['tf.layers.layerNormalization', 'tfjs', 'epsilon', 1e-3],
  ['tf.localResponseNormalization', 'tfjs', 'depthRadius', 5],
  ['tf.localResponseNormalization', 'tfjs', 'alpha', 1],
  ['tf.localResponseNormalization', 'tfjs', 'beta', 0.5],
  ['BatchNormalization', 'onnx', 'momentum', 0.9],
  ['BatchNormalization', 'onnx', 'epsilon', 1e-5],
  ['BatchNormalization', 'onnx', 'training_mode', 0],
  ['LayerNormalization', 'onnx', 'axis', -1],
  ['LayerNormalization', 'onnx', 'stash_type', 1],
  ['SkipLayerNormalization', 'onnx', 'epsilon', 1e-12],
  ['SkipSimplifiedLayerNormalization', 'onnx', 'epsilon', 1e-12],
  ['GroupNormalization', 'onnx', 'epsilon', 1e-5],
  ['GroupNorm', 'onnx', 'channels_last', 1],
  ['RMSNormalization', 'onnx', 'epsilon', 1e-5],
  ['LRN', 'onnx', 'alpha', 1e-4],
  ['LRN', 'onnx', 'bias', 1],
  ['MeanVarianceNormalization', 'onnx', 'axes', [0, 2, 3]],
  ['LpNormalization', 'onnx', 'p', 2],
  ['F.normalize', 'pytorch', 'eps', 1e-12],
  ['BatchNorm2d', 'pytorch', 'momentum', 0.1],
];

describe('defaults per framework', () => {
  for (const [variant, framework, param, value] of defaults) {
    it(`${variant}.${param} = ${JSON.stringify(value)} in ${framework}`, () => {
      const kind = variantInfo(variant, framework)?.kind ?? 'other';
      const spec = descriptorOf(kind)
        .params(variant, framework)
        .find((p) => p.name === param);
      assert.deepEqual(spec?.defaults[framework], value);
    });
  }

  it('BN eps and momentum list the equivalent defaults of the other frameworks', () => {
    const spec = (name: string) => variantSpec('BatchNorm2d')?.params.find((p) => p.name === name);
    assert.deepEqual(spec('eps')?.defaults, { pytorch: 1e-5, tfjs: 1e-3, onnx: 1e-5 });
    assert.deepEqual(spec('momentum')?.defaults, { pytorch: 0.1, tfjs: 0.99, onnx: 0.9 });
    assert.match(spec('momentum')?.convention ?? '', /1 − m_pytorch/);
  });

  it('ONNX operators carry their domain and opset versions', () => {
    const ops: readonly (readonly [string, string, readonly number[]])[] = [
      ['BatchNormalization', 'ai.onnx', [1, 6, 7, 9, 14, 15]],
      ['InstanceNormalization', 'ai.onnx', [1, 6, 22]],
      ['LayerNormalization', 'ai.onnx', [17]],
      ['GroupNormalization', 'ai.onnx', [18, 21]],
      ['LRN', 'ai.onnx', [1, 13]],
      ['MeanVarianceNormalization', 'ai.onnx', [9, 13]],
      ['LpNormalization', 'ai.onnx', [1, 22]],
      ['RMSNormalization', 'ai.onnx', [23]],
      ['SkipLayerNormalization', 'com.microsoft', [1]],
      ['SkipSimplifiedLayerNormalization', 'com.microsoft', [1]],
    ];
    for (const [name, domain, opsets] of ops) {
      const spec = variantSpec(name, 'onnx');
      assert.equal(spec?.domain, domain, name);
      assert.deepEqual(spec?.opsets, opsets, name);
    }
    assert.deepEqual(variantSpec('GroupNormalization')?.deprecatedOpsets, [18]);
  });
});

describe('descriptor text', () => {
  const kinds: readonly NormKind[] = [
    'batchnorm',
    'layernorm',
    'instancenorm',
    'groupnorm',
    'rmsnorm',
    'lrn',
    'other',
  ];

  it('has one descriptor per kind', () => {
    assert.deepEqual(
      DESCRIPTORS.map((d) => d.kind),
      kinds,
    );
    for (const kind of kinds) {
      assert.equal(descriptorOf(kind).kind, kind);
    }
  });

  for (const d of DESCRIPTORS) {
    it(`${d.kind}: every cited label names a listed paper, and every paper is cited`, () => {
      const text = [...d.strengths, ...d.weaknesses, d.fit, ...d.notes].join('\n');
      const labels = text.match(/\([A-Z][^()]*?, \d{4}\)/g) ?? [];
      const listed = d.citations.map(citeLabel);
      for (const label of labels) {
        assert.ok(listed.includes(label), `${label} is not among ${listed.join(' ')}`);
      }
      for (const label of listed) {
        assert.ok(text.includes(label), `${label} is listed but never cited`);
      }
    });

    it(`${d.kind}: title, summary and formula are filled; summary is one sentence`, () => {
      for (const field of [d.title, d.summary, d.formula, d.fit, d.training, d.inference]) {
        assert.ok(field.length > 0);
      }
      assert.equal(d.summary.split(/\.\s/).length, 1);
      assert.ok(d.strengths.length > 0 && d.weaknesses.length > 0);
    });
  }

  it('formats citation labels as the text uses them', () => {
    assert.equal(
      citeLabel({ title: 't', authors: 'Yuxin Wu, Kaiming He', year: 2018 }),
      '(Wu & He, 2018)',
    );
    assert.equal(citeLabel({ title: 't', authors: 'Sergey Ioffe', year: 2017 }), '(Ioffe, 2017)');
    assert.equal(
      citeLabel({ title: 't', authors: 'Priya Goyal et al.', year: 2017 }),
      '(Goyal et al., 2017)',
    );
    assert.equal(
      citeLabel({ title: 't', authors: 'A B, C D, E F', year: 2016 }),
      '(B et al., 2016)',
    );
  });
});
