import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferByteSource } from '../../../src/core/bytes/byte-source';
import { analyzeTfjsModelJson } from '../../../src/core/tfjs/index';
import type { TfjsNormSite } from '../../../src/core/tfjs/index';
import { SourceAnalyzer } from '../../../src/core/analyze';
import { ParserFactory } from '../../../src/core/syntax/parsers';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const FIXTURES = join(__dirname, '../../fixtures/tfjs');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** `[kind, variant, node path]` of each site. */
const summary = (sites: readonly TfjsNormSite[]): (readonly unknown[])[] =>
  sites.map((s) => [s.kind, s.variant, s.location.type === 'graph' ? s.location.nodes : []]);

describe('tfjs model.json: layers-model topology', () => {
  it('Sequential with BN (axis as a list) and LN', async () => {
    const result = await analyzeTfjsModelJson(fixture('sequential-bn.model.json'));
    assert.equal(result.format, 'layers-model');
    assert.deepEqual(result.errors, []);
    assert.deepEqual(summary(result.sites), [
      ['batchnorm', 'tf.layers.batchNormalization', ['bn']],
      ['layernorm', 'tf.layers.layerNormalization', ['ln']],
    ]);
    const [bn, ln] = result.sites;
    assert.deepEqual(bn?.params['axis'], {
      value: [3],
      source: 'literal',
      expression: 'axis: [3]',
    });
    assert.deepEqual(bn?.params['momentum'], {
      value: 0.9,
      source: 'literal',
      expression: 'momentum: 0.9',
    });
    assert.equal(bn?.params['betaInitializer']?.value, 'Zeros');
    assert.deepEqual(bn?.params['movingVarianceInitializer'], { value: 'ones', source: 'default' });
    assert.deepEqual(bn?.context.producer, {
      layer: 'Conv2D',
      name: 'conv',
      outputChannels: 2,
      useBias: true,
      kernelSize: [3, 3],
      dataFormat: 'channels_last',
    });
    assert.deepEqual(bn?.context.inputShape, [8, 8, 1]);
    assert.deepEqual(bn?.context.weights, {
      gamma: 'bn/gamma',
      beta: 'bn/beta',
      moving_mean: 'bn/moving_mean',
      moving_variance: 'bn/moving_variance',
    });
    assert.equal(ln?.params['center']?.value, false);
    assert.equal(ln?.context.producer?.name, 'bn');
    assert.deepEqual(
      result.context.dtypes.map((d) => [d.value, d.nodes]),
      [['float16', ['ln']]],
    );
  });

  it('Keras 2 functional export: inbound nodes, unloadable classes, wrappers', async () => {
    const result = await analyzeTfjsModelJson(fixture('functional-keras.model.json'));
    assert.deepEqual(summary(result.sites), [
      ['batchnorm', 'tf.layers.batchNormalization', ['bn1']],
      ['groupnorm', 'GroupNormalization', ['gn']],
      ['instancenorm', 'Addons>InstanceNormalization', ['in']],
      ['layernorm', 'tf.layers.layerNormalization', ['td/td_ln']],
    ]);
    const [bn, gn, inorm, ln] = result.sites;
    assert.equal(bn?.context.producer?.name, 'c1');
    assert.equal(bn?.context.producer?.useBias, false);
    assert.deepEqual(bn?.context.inputShape, [16, 16, 3]);
    assert.equal(bn?.context.unsupportedClass, undefined);
    assert.equal(gn?.context.unsupportedClass, 'GroupNormalization');
    assert.equal(gn?.params['groups']?.value, 4);
    assert.equal(inorm?.context.unsupportedClass, 'Addons>InstanceNormalization');
    assert.equal(ln?.context.producer?.name, 'in');
    assert.deepEqual(ln?.params['axis']?.value, [-1]);
  });

  it('Keras 3 layout: keras_history inbound nodes and dtype policies', async () => {
    const result = await analyzeTfjsModelJson(fixture('keras3.model.json'));
    assert.deepEqual(summary(result.sites), [['batchnorm', 'tf.layers.batchNormalization', ['b']]]);
    assert.equal(result.sites[0]?.context.producer?.name, 'd');
    assert.equal(result.sites[0]?.context.producer?.outputChannels, 6);
    assert.deepEqual(result.sites[0]?.context.inputShape, [10]);
    assert.deepEqual(
      result.context.dtypes.map((d) => d.value),
      ['float16'],
    );
  });
});

describe('tfjs model.json: graph-model', () => {
  it('reports folded BN as info sites and unfolded ops as they are', async () => {
    const result = await analyzeTfjsModelJson(fixture('graph-folded.model.json'));
    assert.equal(result.format, 'graph-model');
    assert.deepEqual(summary(result.sites), [
      ['batchnorm', 'FusedBatchNorm', ['conv/BiasAdd', 'conv_bn_offset']],
      ['batchnorm', 'FusedBatchNorm', ['bn/FusedBatchNormV3']],
      ['lrn', 'LRN', ['lrn']],
    ]);
    const [folded, bn, lrn] = result.sites;
    assert.equal(folded?.context.foldedInto, 'conv/BiasAdd');
    assert.equal(bn?.context.foldedInto, undefined);
    assert.equal(bn?.params['data_format']?.value, 'NCHW');
    assert.ok(Math.abs(Number(bn?.params['epsilon']?.value) - 1e-3) < 1e-9);
    assert.deepEqual(lrn?.params['depthRadius'], {
      value: 2,
      source: 'literal',
      expression: 'depth_radius: {"i":"2"}',
    });
    assert.deepEqual(lrn?.params['beta'], { value: 0.5, source: 'default' });
  });
});

describe('tfjs model.json: hostile input', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['invalid JSON', '{"format": ', 'Not valid JSON'],
    ['not an object', '[1, 2, 3]', 'Not a TensorFlow.js model.json'],
    ['no topology', '{"format": "layers-model-ish"}', 'Not a TensorFlow.js model.json'],
    ['empty text', '', 'Not valid JSON'],
  ];
  for (const [name, text, message] of cases) {
    it(name, async () => {
      const result = await analyzeTfjsModelJson(text);
      assert.deepEqual(result.sites, []);
      assert.equal(result.errors.length, 1);
      assert.ok(result.errors[0]?.message.startsWith(message), result.errors[0]?.message);
      assert.equal(result.errors[0]?.kind, 'syntax');
    });
  }

  it('wrong types everywhere never throw', async () => {
    const texts = [
      '{"modelTopology": {"class_name": "Sequential", "config": {"layers": [null, 3, "x", {"class_name": 5}]}}}',
      '{"modelTopology": {"class_name": "Sequential", "config": [{"class_name": "BatchNormalization", "config": null}]}, "weightsManifest": {"paths": 3}}',
      '{"format": "graph-model", "modelTopology": {"node": [null, {"op": "FusedBatchNorm", "attr": 7}, {"op": "_FusedConv2D", "input": 5}]}}',
      '{"modelTopology": {"class_name": "Functional", "config": {"layers": [{"class_name": "BatchNormalization", "config": {"name": "b", "axis": {"evil": true}}, "inbound_nodes": [{"args": [[[[[[[[[[1]]]]]]]]]]}]}]}}}',
    ];
    for (const text of texts) {
      const result = await analyzeTfjsModelJson(text);
      assert.ok(Array.isArray(result.sites));
    }
    const sequential = await analyzeTfjsModelJson(texts[1] ?? '');
    assert.equal(sequential.sites[0]?.params['momentum']?.value, 0.99);
    const evil = await analyzeTfjsModelJson(texts[3] ?? '');
    assert.deepEqual(evil.sites[0]?.params['axis'], {
      value: null,
      source: 'unknown',
      expression: 'axis: {"evil":true}',
    });
  });
});

/** Little-endian bytes of float32 values. */
function f32(...values: number[]): number[] {
  return [...new Uint8Array(Float32Array.from(values).buffer)];
}

describe('tfjs model.json: weight health from shards', () => {
  // Manifest order: conv/kernel (18 f32), conv/bias (2), bn/gamma (2), bn/beta (2),
  // bn/moving_mean (2 × uint8, scale 0.5, min −1), bn/moving_variance (2 × fp16), ln/gamma (2).
  const bytes = Uint8Array.from([
    ...f32(...new Array<number>(18).fill(0.1)),
    ...f32(0.5, -0.5),
    ...f32(1, 0),
    ...f32(0, 0),
    2,
    4,
    // fp16 −1 (0xBC00) and 0.25 (0x3400), little-endian.
    0x00,
    0xbc,
    0x00,
    0x34,
    ...f32(1, 1),
  ]);
  // Shard 1 ends inside bn/gamma (bytes 80..88), so that weight spans both shards.
  const shards: Record<string, Uint8Array> = {
    'group1-shard1of2.bin': bytes.subarray(0, 84),
    'group1-shard2of2.bin': bytes.subarray(84),
  };

  it('reads γ, β and the moving statistics lazily and reports problems', async () => {
    const opened: string[] = [];
    const result = await analyzeTfjsModelJson(fixture('sequential-bn.model.json'), (path) => {
      opened.push(path);
      const shard = shards[path];
      return shard
        ? Promise.resolve(new BufferByteSource(shard))
        : Promise.reject(new Error('missing'));
    });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(opened, ['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    const bn = result.health?.find((h) => h.layer === 'bn');
    assert.ok(bn);
    const byRole = new Map(bn.tensors.map((t) => [t.role, t]));
    // Hand-computed: γ = [1, 0] → mean 0.5, population std 0.5.
    assert.equal(byRole.get('scale')?.mean, 0.5);
    assert.equal(byRole.get('scale')?.std, 0.5);
    // Dequantized moving mean: 2·0.5 − 1 = 0 and 4·0.5 − 1 = 1.
    assert.equal(byRole.get('mean')?.summary.min, 0);
    assert.equal(byRole.get('mean')?.summary.max, 1);
    assert.equal(byRole.get('var')?.summary.min, -1);
    assert.equal(byRole.get('var')?.summary.max, 0.25);
    assert.equal(byRole.get('var')?.dtype, 'float16');
    assert.deepEqual(
      bn.issues.map((i) => [i.kind, i.channels]),
      [
        ['dead-gamma', [1]],
        ['low-precision-storage', []],
        ['low-precision-storage', []],
        ['running-var-invalid', [0]],
      ],
    );
    const ln = result.health?.find((h) => h.layer === 'ln');
    assert.deepEqual(
      ln?.tensors.map((t) => [t.role, t.mean]),
      [['scale', 1]],
    );
  });

  it('feeds the weight rules through the analyzer', async () => {
    const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));
    const report = await analyzer.analyzeModelJson(fixture('sequential-bn.model.json'), (path) => {
      const shard = shards[path];
      return shard
        ? Promise.resolve(new BufferByteSource(shard))
        : Promise.reject(new Error('missing'));
    });
    const weightFindings = report.findings
      .filter((f) => f.rule === 'running-var-invalid' || f.rule === 'dead-gamma')
      .map((f) => [f.rule, f.location.type === 'graph' ? f.location.nodes[0] : undefined]);
    assert.deepEqual(weightFindings, [
      ['running-var-invalid', 'bn'],
      ['dead-gamma', 'bn'],
    ]);
  });

  it('a missing shard costs only the numbers', async () => {
    const result = await analyzeTfjsModelJson(fixture('sequential-bn.model.json'), () =>
      Promise.reject(new Error('ENOENT')),
    );
    assert.equal(result.sites.length, 2);
    assert.ok(result.errors.length > 0);
    assert.ok(result.errors.every((e) => e.message.includes('ENOENT')));
  });

  it('refuses shard paths outside the model folder', async () => {
    const text = fixture('sequential-bn.model.json').replace(
      'group1-shard1of2.bin',
      '../../etc/passwd',
    );
    const opened: string[] = [];
    const result = await analyzeTfjsModelJson(text, (path) => {
      opened.push(path);
      return Promise.resolve(new BufferByteSource(new Uint8Array(200)));
    });
    assert.ok(!opened.includes('../../etc/passwd'));
    assert.ok(result.errors.some((e) => e.message.includes("'..'")));
  });
});
