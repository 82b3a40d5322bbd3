// BatchNorm against onnxruntime (BatchNormalization-15, inference and training_mode=1).

import assert from 'node:assert/strict';
import { loadKernels, type Kernels, type Tensor } from '../../../src/core/kernels/index';
import { assertClose, randomTensor, randomVector } from './helpers';
import { toChannelsFirst, toChannelsLast } from './layout';
import { runOperator } from './ort';

const vector = (data: Float32Array): Tensor => ({ data, shape: [data.length] });

interface Case {
  readonly name: string;
  readonly x: Tensor;
  readonly eps: number;
}

function withValues(shape: number[], values: (i: number) => number): Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: count }, (_, i) => values(i)), shape };
}

const inferenceCases: readonly Case[] = [
  { name: 'NCHW [2,3,4,5]', x: randomTensor([2, 3, 4, 5], 1, 2, 0.5), eps: 1e-5 },
  { name: 'batch 1', x: randomTensor([1, 4, 3, 3], 2), eps: 1e-5 },
  { name: '1×1 spatial', x: randomTensor([4, 8, 1, 1], 3), eps: 1e-3 },
  { name: 'rank 2 (BatchNorm1d)', x: randomTensor([6, 5], 4), eps: 1e-5 },
  { name: 'rank 5 (BatchNorm3d)', x: randomTensor([2, 3, 2, 3, 4], 5), eps: 1e-5 },
  {
    name: 'NaN inputs',
    x: withValues([2, 3, 2, 2], (i) => (i % 5 === 0 ? NaN : i * 0.1)),
    eps: 1e-5,
  },
  { name: '1e30 values', x: withValues([2, 3, 2, 2], (i) => (i % 2 ? 1e30 : -3e29)), eps: 1e-5 },
];

describe('kernels: batchNormInfer vs onnxruntime BatchNormalization-15', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  for (const c of inferenceCases) {
    it(c.name, async () => {
      const channels = c.x.shape[1] ?? 0;
      const gamma = randomVector(channels, 11, 1, 1);
      const beta = randomVector(channels, 12);
      const runningMean = randomVector(channels, 13);
      const runningVar = randomVector(channels, 14, 0.5, 1);
      const [expected = new Float32Array()] = await runOperator({
        opType: 'BatchNormalization',
        opset: 15,
        attributes: { epsilon: { f: c.eps } },
        inputs: [c.x, vector(gamma), vector(beta), vector(runningMean), vector(runningVar)],
      });
      const options = { eps: c.eps, runningMean, runningVar, gamma, beta };
      assertClose(kernels.batchNormInfer(c.x, options).data, expected, 1e-5, 'NCHW');
      const last = kernels.batchNormInfer(toChannelsLast(c.x), {
        ...options,
        layout: 'channels-last',
      });
      assertClose(toChannelsFirst(last).data, expected, 1e-5, 'NHWC');
    });
  }

  it('eps = 0 with a zero running variance gives ±Infinity/NaN in that channel and matches ORT elsewhere', async () => {
    const x = withValues([1, 2, 1, 3], (i) => i - 2);
    const runningMean = new Float32Array([0, 1]);
    const runningVar = new Float32Array([0, 1]);
    const [expected = new Float32Array()] = await runOperator({
      opType: 'BatchNormalization',
      opset: 15,
      attributes: { epsilon: { f: 0 } },
      inputs: [
        x,
        vector(new Float32Array([1, 1])),
        vector(new Float32Array([0, 0])),
        vector(runningMean),
        vector(runningVar),
      ],
    });
    const y = kernels.batchNormInfer(x, { eps: 0, runningMean, runningVar });
    // Channel 0 has variance 0: (x − μ)/0 is ±Infinity, and NaN where x = μ. ORT (like PyTorch's
    // CPU kernel) folds this into x·∞ + (β − μ·∞) and returns NaN for the whole channel.
    assert.deepEqual(Array.from(y.data.slice(0, 3)), [-Infinity, -Infinity, NaN]);
    assert.ok(Array.from(expected.slice(0, 3)).every(Number.isNaN));
    assertClose(y.data.slice(3), expected.slice(3), 1e-5, 'channel 1');
  });
});

describe('kernels: batchNormTrain vs onnxruntime training_mode=1 (3 steps)', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  for (const shape of [
    [4, 3, 5, 5],
    [1, 4, 3, 3],
    [8, 6, 1, 1],
    [7, 5],
  ]) {
    it(`onnx convention, shape [${shape.join(',')}]`, async () => {
      const c = shape[1] ?? 0;
      const gamma = randomVector(c, 21, 1, 1);
      const beta = randomVector(c, 22);
      let ortMean = randomVector(c, 23);
      let ortVar = randomVector(c, 24, 0.5, 1);
      let ours = { runningMean: ortMean, runningVar: ortVar };
      for (let step = 0; step < 3; step++) {
        const x = randomTensor(shape, 30 + step, 2, step);
        const [y = new Float32Array(), mean = new Float32Array(), variance = new Float32Array()] =
          await runOperator({
            opType: 'BatchNormalization',
            opset: 15,
            attributes: { epsilon: { f: 1e-5 }, momentum: { f: 0.9 }, training_mode: { i: 1 } },
            inputs: [x, vector(gamma), vector(beta), vector(ortMean), vector(ortVar)],
            outputs: 3,
          });
        const result = kernels.batchNormTrain(x, {
          eps: 1e-5,
          momentum: 0.9,
          convention: 'onnx',
          gamma,
          beta,
          ...ours,
        });
        assertClose(result.y.data, y, 1e-5, `y step ${step}`);
        assertClose(result.runningMean, mean, 1e-5, `running mean step ${step}`);
        assertClose(result.runningVar, variance, 1e-5, `running var step ${step}`);
        if (shape.length === 4) {
          const last = kernels.batchNormTrain(toChannelsLast(x), {
            eps: 1e-5,
            momentum: 0.9,
            convention: 'onnx',
            gamma,
            beta,
            layout: 'channels-last',
            ...ours,
          });
          assertClose(toChannelsFirst(last.y).data, y, 1e-5, `NHWC y step ${step}`);
          assertClose(last.runningVar, variance, 1e-5, `NHWC running var step ${step}`);
        }
        [ortMean, ortVar] = [mean, variance];
        ours = { runningMean: result.runningMean, runningVar: result.runningVar };
      }
    });
  }

  it('tfjs convention equals the onnx one (moving = m·moving + (1 − m)·batch, biased)', () => {
    const x = randomTensor([4, 3, 2, 2], 40);
    const base = {
      eps: 1e-3,
      momentum: 0.99,
      runningMean: new Float32Array(3),
      runningVar: new Float32Array(3).fill(1),
    };
    const tfjs = kernels.batchNormTrain(x, { ...base, convention: 'tfjs' });
    const onnx = kernels.batchNormTrain(x, { ...base, convention: 'onnx' });
    assert.deepEqual(tfjs.runningVar, onnx.runningVar);
    // Reference formula in float64 for channel 0: 0.99·1 + 0.01·biased variance.
    const values = [0, 1, 2, 3].flatMap((n) => [0, 1, 2, 3].map((k) => x.data[n * 12 + k] ?? 0));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const biased = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    assertClose([tfjs.runningVar[0] ?? NaN], [0.99 + 0.01 * biased]);
  });
});
