import assert from 'node:assert/strict';
import { loadKernels } from '../../../src/core/index';
import { Engine } from '../../../webview/compute';
import { fillSample, sampleShapeOf } from '../../../webview/sample-tensor';
import {
  DEFAULT_SETTINGS,
  clampSettings,
  settingsFromPreset,
  type PanelSettings,
} from '../../../webview/settings';

const settingsOf = (change: Partial<PanelSettings>): PanelSettings =>
  clampSettings({ ...DEFAULT_SETTINGS, ...change });

/** Mean and biased variance of the values `at(i)` for i < count, in float64. */
function stats(count: number, at: (i: number) => number): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += at(i);
  }
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) {
    squares += (at(i) - mean) ** 2;
  }
  return { mean, variance: squares / count };
}

describe('webview N×L×D computations', () => {
  const N = 3;
  const L = 5;
  const D = 6;
  const sequence = { layout: 'nld', batch: N, length: L, features: D, channelOffset: 2 } as const;

  it('generates a channels-last sample with the per-feature offsets', () => {
    const settings = settingsOf({ ...sequence, sampleOffset: 0, sampleScale: 0, channelScale: 0 });
    const shape = sampleShapeOf(settings);
    const data = new Float32Array(N * L * D);
    fillSample(data, shape, settings);
    // With one constant channel, feature 0 holds its offset at every (n, l).
    const constant = settingsOf({ ...sequence, constantChannel: true });
    const withConstant = new Float32Array(N * L * D);
    fillSample(withConstant, sampleShapeOf(constant), constant);
    const offset0 = 2 * (0 - (D - 1) / 2);
    for (let token = 0; token < N * L; token++) {
      assert.equal(withConstant[token * D], Math.fround(offset0));
    }
    // Features differ by their offsets: feature D−1 is far above feature 0 on average.
    const featureMean = (d: number): number => stats(N * L, (i) => data[i * D + d] ?? 0).mean;
    assert.ok(featureMean(D - 1) - featureMean(0) > 2 * (D - 1) - 3);
  });

  it('normalizes each token over D for LayerNorm and RMSNorm', async () => {
    const engine = new Engine(await loadKernels());
    for (const method of ['layernorm', 'rmsnorm'] as const) {
      const settings = settingsOf({ ...sequence, method });
      const result = engine.update(settings);
      assert.deepEqual(result.shape, [N, L, D]);
      // Per-sample statistics after: every token of a sample has mean 0 (LN) or RMS 1 (RMSNorm).
      for (let n = 0; n < N; n++) {
        if (method === 'layernorm') {
          assert.ok(Math.abs(result.after.sampleMean[n] ?? 1) < 1e-5, `LN sample ${n} mean`);
          assert.ok(Math.abs((result.after.sampleStd[n] ?? 0) - 1) < 1e-3, `LN sample ${n} std`);
        }
      }
      assert.equal(result.after.channelMean.length, D);
    }
    engine.dispose();
  });

  it('normalizes each feature over N × L for BatchNorm', async () => {
    const engine = new Engine(await loadKernels());
    const settings = settingsOf({ ...sequence, method: 'batchnorm' });
    const result = engine.update(settings);
    // The reference: the same sample, its per-feature moments by plain loops.
    const data = new Float32Array(N * L * D);
    fillSample(data, sampleShapeOf(settings), settings);
    for (let d = 0; d < D; d++) {
      const reference = stats(N * L, (i) => data[i * D + d] ?? 0);
      assert.ok(Math.abs((result.before.channelMean[d] ?? 0) - reference.mean) < 1e-5);
      assert.ok(
        Math.abs((result.before.channelStd[d] ?? 0) - Math.sqrt(reference.variance)) < 1e-4,
      );
      assert.ok(Math.abs(result.after.channelMean[d] ?? 1) < 1e-5, `feature ${d} mean after`);
      assert.ok(Math.abs((result.after.channelStd[d] ?? 0) - 1) < 1e-3, `feature ${d} std after`);
    }
    assert.equal(result.running.mean.length, D);
    const slow = engine.slow(settings);
    assert.deepEqual(
      slow.precisions.map((row) => row.precision),
      ['fp32', 'fp16', 'bf16'],
    );
    assert.equal(slow.noise.rows.length, 6);
    engine.dispose();
  });

  it('opens LayerNorm and RMSNorm presets on a sequence with D from the channels', () => {
    const ln = settingsFromPreset({ kind: 'layernorm', channels: 768 });
    assert.equal(ln.layout, 'nld');
    assert.equal(ln.features, 768);
    const bn = settingsFromPreset({ kind: 'batchnorm', channels: 64 });
    assert.equal(bn.layout, 'nchw');
    assert.equal(bn.channels, 64);
  });
});
