// The moment sums run in float32 blocks folded into float64, with a float64 fallback for blocks
// whose float32 squares would overflow, underflow or meet a NaN (src/kernels-wasm/moments.ts).
// These cases are sized to reach every path: full 256-element blocks and their tails along rows,
// 16- and 4-column strips down channels-last tensors, and the fallback in both.

import assert from 'node:assert/strict';
import { loadKernels, type Kernels, type Tensor } from '../../../src/core/kernels/index';
import { assertClose, randomTensor, randomVector } from './helpers';
import { toChannelsFirst, toChannelsLast } from './layout';
import { runOperator } from './ort';

const vector = (data: Float32Array): Tensor => ({ data, shape: [data.length] });

/** Two-pass float64 mean and biased variance of each column of a rows × cols matrix. */
function columnMoments(
  data: Float32Array,
  rows: number,
  cols: number,
): { mean: number[]; variance: number[] } {
  const mean: number[] = [];
  const variance: number[] = [];
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += data[i * cols + j] ?? NaN;
    const m = sum / rows;
    let squares = 0;
    for (let i = 0; i < rows; i++) squares += ((data[i * cols + j] ?? NaN) - m) ** 2;
    mean.push(m);
    variance.push(squares / rows);
  }
  return { mean, variance };
}

/**
 * Means within `rtol` standard deviations and variances within `rtol` relative of the float64
 * reference, per index (NaN must match NaN). Standard deviations are the natural unit: they are
 * what the normalization divides by.
 */
function assertMoments(
  actual: { mean: ArrayLike<number>; variance: ArrayLike<number> },
  expected: { mean: readonly number[]; variance: readonly number[] },
  rtol: number,
): void {
  expected.mean.forEach((m, j) => {
    const v = expected.variance[j] ?? NaN;
    const [am, av] = [actual.mean[j] ?? NaN, actual.variance[j] ?? NaN];
    if (Number.isNaN(m) || Number.isNaN(v)) {
      assert.ok(Number.isNaN(am) && Number.isNaN(av), `index ${j}: expected NaN, got ${am}, ${av}`);
      return;
    }
    assert.ok(Math.abs(am - m) <= rtol * Math.sqrt(v), `mean[${j}]: got ${am}, expected ${m}`);
    assert.ok(Math.abs(av - v) <= rtol * v, `variance[${j}]: got ${av}, expected ${v}`);
  });
}

/** rows × cols values at `scale`, with a different scale in the first and last few rows. */
function scaled(rows: number, cols: number, seed: number, scale: number): Float32Array {
  const base = randomTensor([rows, cols], seed).data;
  return base.map((v, i) => v * scale * (i < 3 * cols || i >= (rows - 3) * cols ? 7 : 1));
}

describe('kernels: float32 blocks folded into float64', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  for (const [name, scale] of [
    ['ordinary values', 1],
    ['1e30 values (float32 squares overflow: float64 fallback)', 1e30],
    ['1e-30 values (float32 squares underflow: float64 fallback)', 1e-30],
  ] as const) {
    it(`moments along rows and down columns agree with float64: ${name}`, () => {
      // 613 = two full blocks + a partial one + a scalar tail; 23 columns = strip16 + strip4 + 3.
      const [rows, cols] = [613, 23];
      const data = scaled(rows, cols, 11, scale);
      const expected = columnMoments(data, rows, cols);
      // Ordinary values take the float32 blocks (1e-7 is their typical accuracy); extreme ones
      // take the float64 fallback, which is exact to float64 rounding.
      const rtol = scale === 1 ? 1e-6 : 1e-12;
      assertMoments(kernels.moments({ data, shape: [rows, cols] }, [0]), expected, rtol);
      const transposed = new Float32Array(data.length);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) transposed[j * rows + i] = data[i * cols + j] ?? NaN;
      assertMoments(
        kernels.moments({ data: transposed, shape: [cols, rows] }, [1]),
        expected,
        rtol,
      );
    });
  }

  it('a NaN poisons only its own column', () => {
    const [rows, cols] = [300, 20];
    const data = randomTensor([rows, cols], 12).data;
    data[150 * cols + 17] = NaN;
    const expected = columnMoments(data, rows, cols);
    assert.ok(Number.isNaN(expected.mean[17]));
    assertMoments(kernels.moments({ data, shape: [rows, cols] }, [0]), expected, 1e-6);
  });

  it('a constant row and column give variance 0', () => {
    const [rows, cols] = [40, 16];
    const data = new Float32Array(rows * cols).fill(3.25);
    const down = kernels.moments({ data, shape: [rows, cols] }, [0]);
    const along = kernels.moments({ data, shape: [rows, cols] }, [1]);
    assert.deepEqual(Array.from(down.variance), new Array<number>(cols).fill(0));
    assert.deepEqual(Array.from(along.variance), new Array<number>(rows).fill(0));
    assert.deepEqual(Array.from(down.mean), new Array<number>(cols).fill(3.25));
  });

  it('a far-off start of a row does not cost accuracy', () => {
    // The shift comes from the first 16 elements; here they sit 1000 standard deviations away.
    const len = 2000;
    const data = randomTensor([1, len], 13, 0.01, 5).data;
    for (let i = 0; i < 16; i++) data[i] = 15;
    const along = kernels.moments({ data, shape: [1, len] }, [1]);
    assertMoments(along, columnMoments(data, len, 1), 1e-6);
    // The same down column 5 of 16 (the strips), and along runs of a fused LayerNorm.
    const wide = randomTensor([len, 16], 14, 0.01, 5).data;
    for (let i = 0; i < len; i++) wide[i * 16 + 5] = data[i] ?? NaN;
    const down = kernels.moments({ data: wide, shape: [len, 16] }, [0]);
    assertMoments(down, columnMoments(wide, len, 16), 1e-6);
    const { mean, variance } = kernels.layerNorm({ data, shape: [1, len] }, { eps: 1e-5 });
    assertMoments({ mean, variance }, columnMoments(data, len, 1), 1e-6);
  });

  it('GroupNorm with 2 channels per group, in both layouts, vs onnxruntime', async () => {
    // C = 68: channels-last rows are wider than the 64-column strips, so the wide path runs too.
    for (const channels of [64, 68]) {
      const x = randomTensor([2, channels, 9, 37], 14, 3, -1);
      const gamma = randomVector(channels, 15, 1, 1);
      const beta = randomVector(channels, 16);
      const [y = new Float32Array()] = await runOperator({
        opType: 'GroupNormalization',
        opset: 21,
        attributes: { num_groups: { i: channels / 2 }, epsilon: { f: 1e-5 } },
        inputs: [x, vector(gamma), vector(beta)],
      });
      const options = { numGroups: channels / 2, eps: 1e-5, gamma, beta };
      assertClose(kernels.groupNorm(x, options).data, y, 1e-5, `NCHW C=${channels}`);
      const last = kernels.groupNorm(toChannelsLast(x), { ...options, layout: 'channels-last' });
      assertClose(toChannelsFirst(last).data, y, 1e-5, `NHWC C=${channels}`);
    }
  });

  it('InstanceNorm and BatchNorm channels-last with 20 channels (16- and 4-column strips)', async () => {
    const x = randomTensor([3, 20, 11, 13], 17, 2, 0.5);
    const gamma = randomVector(20, 18, 1, 1);
    const beta = randomVector(20, 19);
    const [instance = new Float32Array()] = await runOperator({
      opType: 'InstanceNormalization',
      opset: 22,
      attributes: { epsilon: { f: 1e-5 } },
      inputs: [x, vector(gamma), vector(beta)],
    });
    const last = toChannelsLast(x);
    const y = kernels.instanceNorm(last, { eps: 1e-5, gamma, beta, layout: 'channels-last' });
    assertClose(toChannelsFirst(y).data, instance, 1e-5, 'InstanceNorm');
    const [batch = new Float32Array()] = await runOperator({
      opType: 'BatchNormalization',
      opset: 15,
      attributes: { epsilon: { f: 1e-5 }, momentum: { f: 0.9 }, training_mode: { i: 1 } },
      inputs: [
        x,
        vector(gamma),
        vector(beta),
        vector(new Float32Array(20)),
        vector(new Float32Array(20).fill(1)),
      ],
      outputs: 3,
    });
    const running = { runningMean: new Float32Array(20), runningVar: new Float32Array(20).fill(1) };
    const trained = kernels.batchNormTrain(last, {
      eps: 1e-5,
      momentum: 0.1,
      convention: 'pytorch',
      gamma,
      beta,
      layout: 'channels-last',
      ...running,
    });
    assertClose(toChannelsFirst(trained.y).data, batch, 1e-5, 'BatchNorm');
  });
});
