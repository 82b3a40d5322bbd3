// GroupNorm (ONNX 18 per-group and ONNX 21 per-channel affine) and InstanceNorm against
// onnxruntime, in both layouts.

import assert from 'node:assert/strict';
import { loadKernels, type Kernels, type Tensor } from '../../../src/core/kernels/index';
import { assertClose, randomTensor, randomVector } from './helpers';
import { toChannelsFirst, toChannelsLast } from './layout';
import { runOperator } from './ort';

const vector = (data: Float32Array): Tensor => ({ data, shape: [data.length] });

interface Case {
  readonly name: string;
  readonly x: Tensor;
  readonly groups: number;
  readonly eps: number;
}

const cases: readonly Case[] = [
  { name: '[2,8,5,5], G=4', x: randomTensor([2, 8, 5, 5], 1, 2, 0.5), groups: 4, eps: 1e-5 },
  { name: 'batch 1, G=2', x: randomTensor([1, 6, 3, 3], 2), groups: 2, eps: 1e-5 },
  { name: '1×1 spatial, G=2', x: randomTensor([3, 8, 1, 1], 3), groups: 2, eps: 1e-5 },
  { name: 'G=C (InstanceNorm-like)', x: randomTensor([2, 4, 3, 2], 4), groups: 4, eps: 1e-5 },
  { name: 'G=1 (LayerNorm-like), rank 3', x: randomTensor([2, 6, 7], 5), groups: 1, eps: 1e-5 },
  {
    name: 'NaN in one group',
    x: {
      data: Float32Array.from({ length: 32 }, (_, i) => (i === 5 ? NaN : Math.cos(i))),
      shape: [2, 4, 2, 2],
    },
    groups: 2,
    eps: 1e-5,
  },
];

describe('kernels: groupNorm vs onnxruntime GroupNormalization', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  for (const c of cases) {
    const channels = c.x.shape[1] ?? 0;
    it(`per-channel affine (opset 21): ${c.name}`, async () => {
      const gamma = randomVector(channels, 7, 1, 1);
      const beta = randomVector(channels, 8);
      const [y = new Float32Array()] = await runOperator({
        opType: 'GroupNormalization',
        opset: 21,
        attributes: { num_groups: { i: c.groups }, epsilon: { f: c.eps } },
        inputs: [c.x, vector(gamma), vector(beta)],
      });
      const options = { numGroups: c.groups, eps: c.eps, gamma, beta };
      assertClose(kernels.groupNorm(c.x, options).data, y, 1e-5, 'NCHW');
      const last = kernels.groupNorm(toChannelsLast(c.x), { ...options, layout: 'channels-last' });
      assertClose(toChannelsFirst(last).data, y, 1e-5, 'NHWC');
    });

    it(`per-group affine (opset 18): ${c.name}`, async () => {
      const gamma = randomVector(c.groups, 9, 1, 1);
      const beta = randomVector(c.groups, 10);
      const [y = new Float32Array()] = await runOperator({
        opType: 'GroupNormalization',
        opset: 18,
        attributes: { num_groups: { i: c.groups }, epsilon: { f: c.eps } },
        inputs: [c.x, vector(gamma), vector(beta)],
      });
      const options = {
        numGroups: c.groups,
        eps: c.eps,
        gamma,
        beta,
        affine: 'per-group',
      } as const;
      assertClose(kernels.groupNorm(c.x, options).data, y, 1e-5, 'NCHW');
      const last = kernels.groupNorm(toChannelsLast(c.x), { ...options, layout: 'channels-last' });
      assertClose(toChannelsFirst(last).data, y, 1e-5, 'NHWC');
    });
  }
});

describe('kernels: instanceNorm vs onnxruntime InstanceNormalization-22', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const channels = c.x.shape[1] ?? 0;
      const gamma = randomVector(channels, 11, 1, 1);
      const beta = randomVector(channels, 12);
      const [y = new Float32Array()] = await runOperator({
        opType: 'InstanceNormalization',
        opset: 22,
        attributes: { epsilon: { f: c.eps } },
        inputs: [c.x, vector(gamma), vector(beta)],
      });
      const ours = kernels.instanceNorm(c.x, { eps: c.eps, gamma, beta });
      if (c.x.data.length === (c.x.shape[0] ?? 0) * channels) {
        // One spatial element: y = β exactly. ORT's one-pass E[x²] − E[x]² is off by ~1e-5 here
        // (reference §A.3.2), so compare with β itself.
        const expected = Array.from(ours.data, (_, i) => beta[i % channels] ?? NaN);
        assert.deepEqual(Array.from(ours.data), expected);
        assertClose(y, expected, 1e-4, 'ORT');
        return;
      }
      assertClose(ours.data, y, 1e-5, 'NCHW');
      const last = kernels.instanceNorm(toChannelsLast(c.x), {
        eps: c.eps,
        gamma,
        beta,
        layout: 'channels-last',
      });
      assertClose(toChannelsFirst(last).data, y, 1e-5, 'NHWC');
    });
  }
});
