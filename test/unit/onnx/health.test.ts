import assert from 'node:assert/strict';
import { detectNormSites, weightHealth, type OnnxNormSite } from '../../../src/core/onnx/index';
import { FLOAT16 } from './builder';
import { readSpec, RecordingSource } from './helpers';
import { batchNorm, layerNormPow } from './patterns';
import { modelBytes } from './builder';
import { readOnnxModel } from '../../../src/core/onnx/index';

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
});
