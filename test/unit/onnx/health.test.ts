import assert from 'node:assert/strict';
import { detectNormSites, weightHealth, type OnnxNormSite } from '../../../src/core/onnx/index';
import { FLOAT16 } from './builder';
import { readSpec, RecordingSource } from './helpers';
import { batchNorm, layerNormPow } from './patterns';
import { modelBytes } from './builder';
import { readOnnxModel } from '../../../src/core/onnx/index';
import { statisticsAtInit, tensorIssues } from '../../../src/core/onnx/health';

async function bnSite(stats: Parameters<typeof batchNorm>[4], eps?: number) {
  const bn = batchNorm('x', 'y', 4, eps === undefined ? {} : { epsilon: { f: eps } }, stats);
  const model = await readSpec({ opset: 15, nodes: bn.nodes, initializers: bn.initializers });
  const [site] = await detectNormSites(model);
  assert.ok(site);
  return { model, site };
}

/** Independent reference: float64 mean and population std in plain JS. */
function reference(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

describe('onnx weight health', () => {
  it('flags negative, NaN and near-zero running_var by channel', async () => {
    const { model, site } = await bnSite({ var: [-1, Number.NaN, 1e-9, 1] });
    const health = await weightHealth(model, site);
    const byKind = new Map(health.issues.map((i) => [i.kind, i]));
    assert.deepEqual(byKind.get('running-var-invalid')?.channels, [0, 1]);
    assert.match(
      byKind.get('running-var-invalid')?.message ?? '',
      /1 negative and 1 NaN\/Inf values \(channels 0, 1\)/,
    );
    assert.deepEqual(byKind.get('running-var-near-zero')?.channels, [2]);
    assert.match(
      byKind.get('running-var-near-zero')?.message ?? '',
      /below 1\.0e-5 in 1 of 4 channels/,
    );
  });

  it('flags dead γ channels relative to the largest |γ|', async () => {
    const { model, site } = await bnSite({ scale: [1, 0, 5e-4, 2] });
    const dead = (await weightHealth(model, site)).issues.find((i) => i.kind === 'dead-gamma');
    assert.deepEqual(dead?.channels, [1, 2]);
    assert.match(dead?.message ?? '', /2 of 4 channels \(50\.0%/);
  });

  it('flags running statistics still at their initial values', async () => {
    const { model, site } = await bnSite({ mean: [0, 0, 0, 0], var: [1, 1, 1, 1] });
    const kinds = (await weightHealth(model, site)).issues.map((i) => i.kind);
    assert.deepEqual(kinds, ['stats-at-init']);
  });

  it('reports fp16 storage and healthy weights without other issues', async () => {
    const { model, site } = await bnSite({ dtype: FLOAT16 });
    const issues = (await weightHealth(model, site)).issues;
    assert.deepEqual(
      issues.map((i) => [i.kind, i.role]),
      [
        ['low-precision-storage', 'scale'],
        ['low-precision-storage', 'bias'],
        ['low-precision-storage', 'mean'],
        ['low-precision-storage', 'var'],
      ],
    );
  });

  it('computes per-tensor statistics that match an independent reference', async () => {
    const scale = [0.5, -1.25, 3, 0];
    const { model, site } = await bnSite({ scale, var: [1, Number.POSITIVE_INFINITY, 2, 3] });
    const health = await weightHealth(model, site, { bins: 4 });
    const gamma = health.tensors.find((t) => t.role === 'scale');
    assert.ok(gamma);
    const expected = reference(scale);
    assert.ok(Math.abs(gamma.mean - expected.mean) < 1e-6);
    assert.ok(Math.abs(gamma.std - expected.std) < 1e-6);
    assert.equal(gamma.summary.min, -1.25);
    assert.equal(gamma.summary.max, 3);
    assert.equal(gamma.summary.zeroCount, 1);
    assert.equal(
      [...gamma.histogram.counts].reduce((a, b) => a + b, 0),
      4,
    );
    const variance = health.tensors.find((t) => t.role === 'var');
    assert.equal(variance?.summary.posInfCount, 1);
    assert.ok(Math.abs((variance?.mean ?? 0) - 2) < 1e-9, 'mean of the finite values');
  });

  it('reads only the site’s own tensors, and only when asked', async () => {
    const big = new Array<number>(64 * 1024).fill(1);
    const bn = batchNorm('x', 'h', 4);
    const ln = layerNormPow('h', 'y', 1e-5, big.length);
    const bytes = modelBytes({
      opset: 13,
      nodes: [...bn.nodes, ...ln.nodes],
      initializers: [...bn.initializers, ...ln.initializers],
    });
    const source = new RecordingSource(bytes);
    const model = await readOnnxModel(source);
    const sites: OnnxNormSite[] = await detectNormSites(model);
    assert.deepEqual(
      sites.map((s) => s.variant),
      ['BatchNormalization', 'decomposed LayerNorm'],
    );
    assert.ok(source.total < 64 * 1024, 'listing reads neither γ nor β of the LayerNorm');
    source.reads.length = 0;
    await weightHealth(model, sites[0]!);
    assert.ok(source.total <= 4 * 4 * 4, `BatchNorm health read ${source.total} bytes`);
    source.reads.length = 0;
    const health = await weightHealth(model, sites[1]!);
    assert.equal(source.total, 2 * big.length * 4, 'LayerNorm health reads γ and β once each');
    assert.deepEqual(
      health.tensors.map((t) => t.role),
      ['scale', 'bias'],
    );
  });

  describe('checks over plain values', () => {
    const keras = { mean: 'moving_mean', variance: 'moving_variance', both: 'moving statistics' };

    it('checks a variance against the given epsilon, in the names asked for', () => {
      const values = Float32Array.from([2e-4, 5e-4, -3, 1, Number.POSITIVE_INFINITY]);
      const issues = tensorIssues('var', 'bn/moving_variance', values, 1e-3, { names: keras });
      assert.deepEqual(
        issues.map((i) => [i.kind, i.role, i.tensor, i.channels, i.message]),
        [
          [
            'running-var-invalid',
            'var',
            'bn/moving_variance',
            [2, 4],
            'moving_variance has 1 negative and 1 NaN/Inf values (channels 2, 4)',
          ],
          [
            'running-var-near-zero',
            'var',
            'bn/moving_variance',
            [0, 1],
            'moving_variance is below 1.0e-3 in 2 of 5 channels (channels 0, 1)',
          ],
        ],
      );
      // With PyTorch's default epsilon neither small value is near zero.
      assert.deepEqual(
        tensorIssues('var', 'v', values, 1e-5).map((i) => i.kind),
        ['running-var-invalid'],
      );
    });

    it('checks a mean for NaN/Inf and γ for dead channels; β has no checks', () => {
      const mean = tensorIssues('mean', 'm', Float32Array.from([0, Number.NaN, 3]), 1e-5);
      assert.deepEqual(
        mean.map((i) => [i.kind, i.channels, i.message]),
        [['running-mean-invalid', [1], 'running_mean has 1 NaN/Inf values (channels 1)']],
      );
      // max|γ| = 4, so the relative floor is 4e-3: channels 1 (0.002) and 3 (0) are dead.
      const gamma = Float32Array.from([1, 0.002, -4, 0, 0.005]);
      const dead = tensorIssues('scale', 'g', gamma, 1e-5);
      assert.deepEqual(
        dead.map((i) => [i.kind, i.channels]),
        [['dead-gamma', [1, 3]]],
      );
      assert.deepEqual(
        tensorIssues('scale', 'g', gamma, 1e-5, { deadGammaRelative: 1e-4 }).map((i) => i.channels),
        [[3]],
      );
      assert.deepEqual(tensorIssues('bias', 'b', Float32Array.from([Number.NaN]), 1e-5), []);
    });

    it('reports statistics at their initial values only when both are', () => {
      const zeros = Float32Array.from([0, 0]);
      const ones = Float32Array.from([1, 1]);
      assert.equal(statisticsAtInit(zeros, Float32Array.from([1, 2]), 'v'), undefined);
      assert.equal(statisticsAtInit(zeros, undefined, 'v'), undefined);
      assert.equal(
        statisticsAtInit(zeros, ones, 'bn/moving_variance', keras)?.message,
        'moving statistics are exactly at their initial values (mean 0, var 1): they were never updated',
      );
    });
  });
});
