// LayerNorm and RMSNorm against onnxruntime (LayerNormalization-17, RMSNormalization-23).

import assert from 'node:assert/strict';
import { loadKernels, type Kernels, type Tensor } from '../../../src/core/kernels/index';
import { assertClose, randomTensor, randomVector } from './helpers';
import { runOperator } from './ort';

interface Case {
  readonly name: string;
  readonly x: Tensor;
  /** ONNX axis: first normalized dim. */
  readonly axis: number;
  readonly eps: number;
}

const cases: readonly Case[] = [
  { name: 'N×L×D [2,5,16], last axis', x: randomTensor([2, 5, 16], 1, 3, 1), axis: -1, eps: 1e-5 },
  { name: 'NCHW [2,3,4,5], axis 1 (C,H,W)', x: randomTensor([2, 3, 4, 5], 2), axis: 1, eps: 1e-5 },
  { name: 'odd row length [3,7], mean 10', x: randomTensor([3, 7], 3, 1, 10), axis: -1, eps: 1e-5 },
  { name: 'batch 1, row of 1', x: randomTensor([1, 4, 1], 4), axis: 2, eps: 1e-3 },
  { name: 'BERT eps 1e-12', x: randomTensor([4, 33], 5), axis: -1, eps: 1e-12 },
  {
    // ORT squares in float32, so 1e30 rows overflow there; those are checked against PyTorch
    // float64 goldens (golden.test.ts) instead.
    name: 'NaN poisons only its row',
    x: { data: Float32Array.from({ length: 24 }, (_, i) => (i === 3 ? NaN : i)), shape: [4, 6] },
    axis: -1,
    eps: 1e-5,
  },
];

function trailingShape(x: Tensor, axis: number): number[] {
  return x.shape.slice(axis < 0 ? axis + x.shape.length : axis);
}

describe('kernels: layerNorm vs onnxruntime LayerNormalization-17', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const normalized = trailingShape(c.x, c.axis);
      const len = normalized.reduce((a, b) => a * b, 1);
      const gamma = randomVector(len, 7, 1, 1);
      const beta = randomVector(len, 8);
      const [y = new Float32Array(), mean = new Float32Array(), invStd = new Float32Array()] =
        await runOperator({
          opType: 'LayerNormalization',
          opset: 17,
          attributes: { axis: { i: c.axis }, epsilon: { f: c.eps } },
          inputs: [c.x, { data: gamma, shape: normalized }, { data: beta, shape: normalized }],
          outputs: 3,
        });
      const byAxis = kernels.layerNorm(c.x, { axis: c.axis, eps: c.eps, gamma, beta });
      const byShape = kernels.layerNorm(c.x, {
        normalizedShape: normalized,
        eps: c.eps,
        gamma,
        beta,
      });
      assertClose(byAxis.y.data, y, 1e-5, 'y');
      assert.deepEqual(byShape.y.data, byAxis.y.data);
      assertClose(byAxis.mean, mean, 1e-5, 'mean');
      assertClose(
        byAxis.variance.map((v) => 1 / Math.sqrt(v + c.eps)),
        invStd,
        1e-5,
        'inv std',
      );
    });
  }
});

describe('kernels: rmsNorm vs onnxruntime RMSNormalization-23', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const normalized = trailingShape(c.x, c.axis);
      const gamma = randomVector(
        normalized.reduce((a, b) => a * b, 1),
        9,
        1,
        1,
      );
      const [y = new Float32Array()] = await runOperator({
        opType: 'RMSNormalization',
        opset: 23,
        attributes: { axis: { i: c.axis }, epsilon: { f: c.eps } },
        inputs: [c.x, { data: gamma, shape: normalized }],
      });
      assertClose(kernels.rmsNorm(c.x, { axis: c.axis, eps: c.eps, gamma }).y.data, y, 1e-5, 'y');
    });
  }
});
