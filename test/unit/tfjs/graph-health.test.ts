/**
 * Graph-model weight health: a FusedBatchNormV3 that survived conversion (constants reached
 * directly, as `name:0` and through an Identity), Grappler's `_FusedConv2D` with a FusedBatchNorm
 * inside, and a BatchNorm folded into a `_FusedConv2D` whose `_bn_offset` is all that is left.
 * Expected numbers are worked out by hand in the comments, not by the code under test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferByteSource } from '../../../src/core/bytes/byte-source';
import { SourceAnalyzer } from '../../../src/core/analyze';
import { ParserFactory } from '../../../src/core/syntax/parsers';
import { analyzeTfjsModelJson } from '../../../src/core/tfjs/index';
import { nodeModulesWasmLoader } from '../helpers/wasm';

function f32(...values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** base64 of the ASCII strings the converter writes in `fused_ops`. */
const BIAS_ADD = Buffer.from('BiasAdd').toString('base64');
const FUSED_BN = Buffer.from('FusedBatchNorm').toString('base64');

const WEIGHTS: readonly (readonly [string, readonly number[], readonly number[]])[] = [
  ['conv/weights', [1, 1, 1, 3], [1, 1, 1]],
  // The folded offset β − γ·μ/√(σ² + ε), with a NaN in channel 1.
  ['conv_bn_offset', [3], [0.5, Number.NaN, -1.5]],
  // max|γ| = 2: channel 2 (0) and channel 3 (1e-5 < 1e-4) are dead.
  ['bn/gamma', [4], [1, 2, 0, 1e-5]],
  ['bn/beta', [4], [0, 0, 0, 0]],
  ['bn/moving_mean', [4], [0.1, 0.2, 0.3, 0.4]],
  // Channel 1 negative; channel 3 below ε = 1e-3.
  ['bn/moving_variance', [4], [1, -0.5, 2, 1e-4]],
  ['fused/scale', [2], [1, 1]],
  ['fused/offset', [2], [0, 0]],
  ['fused/mean', [2], [0, 0]],
  ['fused/var', [2], [1, 1]],
];

const MODEL = JSON.stringify({
  format: 'graph-model',
  modelTopology: {
    node: [
      { name: 'input', op: 'Placeholder' },
      ...WEIGHTS.map(([name]) => ({ name, op: 'Const' })),
      { name: 'bn/mean/read', op: 'Identity', input: ['bn/moving_mean'] },
      {
        name: 'conv/BiasAdd',
        op: '_FusedConv2D',
        input: ['input', 'conv/weights', 'conv_bn_offset'],
        attr: { fused_ops: { list: { s: [BIAS_ADD] } } },
      },
      {
        name: 'bn/FusedBatchNormV3',
        op: 'FusedBatchNormV3',
        input: [
          'conv/BiasAdd',
          'bn/gamma',
          'bn/beta:0',
          'bn/mean/read',
          'bn/moving_variance',
          '^ctrl',
        ],
        attr: { epsilon: { f: 0.001 } },
      },
      {
        name: 'fused/Conv',
        op: '_FusedConv2D',
        input: [
          'bn/FusedBatchNormV3',
          'conv/weights',
          'fused/scale',
          'fused/offset',
          'fused/mean',
          'fused/var',
        ],
        attr: { fused_ops: { list: { s: [FUSED_BN] } }, epsilon: { f: 1e-5 } },
      },
      { name: 'lrn', op: 'LRN', input: ['fused/Conv'] },
    ],
  },
  weightsManifest: [
    {
      paths: ['g.bin'],
      weights: WEIGHTS.map(([name, shape]) => ({ name, shape, dtype: 'float32' })),
    },
  ],
});

const SHARD = Uint8Array.from(WEIGHTS.flatMap(([, , values]) => [...f32(...values)]));
const load = (path: string): Promise<BufferByteSource> =>
  path === 'g.bin'
    ? Promise.resolve(new BufferByteSource(SHARD))
    : Promise.reject(new Error(`no ${path}`));

describe('tfjs model.json: graph-model weight health', () => {
  it('names the weights of each BatchNorm in the manifest', async () => {
    const result = await analyzeTfjsModelJson(MODEL);
    assert.deepEqual(
      result.sites.map((s) => [
        s.location.type === 'graph' ? s.location.nodes : [],
        s.context.weights,
        s.context.foldedOffset,
      ]),
      [
        [['conv/BiasAdd', 'conv_bn_offset'], undefined, 'conv_bn_offset'],
        [
          ['bn/FusedBatchNormV3'],
          {
            gamma: 'bn/gamma',
            beta: 'bn/beta',
            moving_mean: 'bn/moving_mean',
            moving_variance: 'bn/moving_variance',
          },
          undefined,
        ],
        [
          ['fused/Conv'],
          {
            gamma: 'fused/scale',
            beta: 'fused/offset',
            moving_mean: 'fused/mean',
            moving_variance: 'fused/var',
          },
          undefined,
        ],
        [['lrn'], undefined, undefined],
      ],
    );
    const fused = result.sites[2];
    assert.equal(fused?.context.foldedInto, undefined);
    assert.ok(Math.abs(Number(fused?.params['epsilon']?.value) - 1e-5) < 1e-12);
    assert.equal(result.health, undefined);
  });

  it('checks a surviving FusedBatchNormV3 as a layers-model BatchNorm', async () => {
    const result = await analyzeTfjsModelJson(MODEL, load);
    assert.deepEqual(result.errors, []);
    const bn = result.health?.find((h) => h.layer === 'bn/FusedBatchNormV3');
    assert.deepEqual(
      bn?.issues.map((i) => [i.kind, i.channels]),
      [
        ['dead-gamma', [2, 3]],
        ['running-var-invalid', [1]],
        ['running-var-near-zero', [3]],
      ],
    );
    // γ = [1, 2, 0, 1e-5]: mean ≈ 0.7500025.
    const gamma = bn?.tensors.find((t) => t.role === 'scale');
    assert.ok(Math.abs((gamma?.mean ?? 0) - 0.7500025) < 1e-6);
    assert.equal(bn?.folded, undefined);
    const fused = result.health?.find((h) => h.layer === 'fused/Conv');
    assert.deepEqual(
      fused?.issues.map((i) => i.kind),
      ['stats-at-init'],
    );
  });

  it('reports a folded BatchNorm with the numbers of its offset', async () => {
    const result = await analyzeTfjsModelJson(MODEL, load);
    const folded = result.health?.find((h) => h.layer === 'conv/BiasAdd');
    assert.ok(folded);
    const [offset] = folded.tensors;
    // Finite values 0.5 and −1.5: mean −0.5, population std 1.
    assert.deepEqual(
      [
        offset?.role,
        offset?.name,
        offset?.summary.min,
        offset?.summary.max,
        offset?.summary.nanCount,
      ],
      ['bias', 'conv_bn_offset', -1.5, 0.5, 1],
    );
    assert.equal(offset?.mean, -0.5);
    assert.equal(offset?.std, 1);
    assert.deepEqual(
      folded.issues.map((i) => [i.kind, i.role, i.channels]),
      [['running-mean-invalid', 'bias', [1]]],
    );
    assert.match(folded.folded ?? '', /^BatchNorm folded into _FusedConv2D conv\/BiasAdd/);
    assert.match(folded.folded ?? '', /3 channels\) ranges -1\.5 … 0\.5, mean -0\.5, std 1\.$/);
  });

  it('feeds the weight rules for graph-model BatchNorms', async () => {
    const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));
    const report = await analyzer.analyzeModelJson(MODEL, load);
    const weightFindings = report.findings
      .filter((f) => f.rule === 'running-var-invalid' || f.rule === 'dead-gamma')
      .map((f) => [f.rule, f.location.type === 'graph' ? f.location.nodes[0] : undefined]);
    assert.deepEqual(weightFindings.sort(), [
      ['dead-gamma', 'bn/FusedBatchNormV3'],
      ['running-var-invalid', 'bn/FusedBatchNormV3'],
      ['running-var-invalid', 'bn/FusedBatchNormV3'],
      ['running-var-invalid', 'conv/BiasAdd'],
      ['running-var-invalid', 'fused/Conv'],
    ]);
  });

  it('a folded offset in a missing shard costs only its numbers', async () => {
    const result = await analyzeTfjsModelJson(MODEL, () => Promise.reject(new Error('ENOENT')));
    const folded = result.health?.find((h) => h.layer === 'conv/BiasAdd');
    assert.deepEqual(folded?.tensors, []);
    assert.match(folded?.unreadable[0] ?? '', /conv_bn_offset: ENOENT/);
    assert.match(folded?.folded ?? '', /cannot be checked\.$/);
  });

  it('finds the folded offsets of a real converter output in its manifest', async () => {
    const text = readFileSync(
      join(__dirname, '../../fixtures/tfjs/real/human-emotion.model.json'),
      'utf8',
    );
    const result = await analyzeTfjsModelJson(text);
    const offsets = result.sites.map((s) => s.context.foldedOffset);
    assert.equal(offsets.length, 8);
    // The offset is the second node of each folded site, and a manifest weight.
    for (const site of result.sites) {
      assert.equal(
        site.context.foldedOffset,
        site.location.type === 'graph' ? site.location.nodes[1] : undefined,
      );
      assert.match(site.context.foldedOffset ?? '', /_bn_offset$/);
    }
  });
});
