// LRN: the PyTorch/ONNX convention against onnxruntime LRN-13 (odd sizes; ORT rejects even
// ones), the TF convention against @tensorflow/tfjs-backend-cpu. Even sizes, where PyTorch and
// ONNX differ, are checked against PyTorch goldens in golden.test.ts.

import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadKernels, type Kernels } from '../../../src/core/kernels/index';
import { assertClose, randomTensor } from './helpers';
import { runOperator } from './ort';

describe('kernels: lrn', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
    await tf.setBackend('cpu');
  });

  for (const size of [1, 3, 5]) {
    it(`onnx and pytorch conventions, size ${size}, vs onnxruntime LRN-13`, async () => {
      const x = randomTensor([2, 7, 3, 4], size, 3);
      const options = { size, alpha: 2e-2, beta: 0.75, k: 1.5 };
      const [y = new Float32Array()] = await runOperator({
        opType: 'LRN',
        opset: 13,
        attributes: {
          size: { i: size },
          alpha: { f: options.alpha },
          beta: { f: options.beta },
          bias: { f: options.k },
        },
        inputs: [x],
      });
      assertClose(kernels.lrn(x, { convention: 'onnx', ...options }).data, y, 1e-5, 'onnx');
      // For odd sizes the two conventions coincide (reference §A.3.5).
      assertClose(kernels.lrn(x, { convention: 'pytorch', ...options }).data, y, 1e-5, 'pytorch');
    });
  }

  for (const beta of [0.5, 1, 0.75]) {
    it(`beta ${beta} (square-root forms of the power), 35 positions per channel, vs onnxruntime`, async () => {
      // 35 positions = 8 vectors of 4 and a tail of 3.
      const x = randomTensor([2, 6, 5, 7], 30, 4);
      const options = { size: 5, alpha: 0.1, beta, k: 2 };
      const [y = new Float32Array()] = await runOperator({
        opType: 'LRN',
        opset: 13,
        attributes: {
          size: { i: options.size },
          alpha: { f: options.alpha },
          beta: { f: beta },
          bias: { f: options.k },
        },
        inputs: [x],
      });
      assertClose(kernels.lrn(x, { convention: 'onnx', ...options }).data, y, 1e-5, 'onnx');
    });
  }

  it('size 2: PyTorch and ONNX windows differ', () => {
    const x = randomTensor([1, 4, 1, 1], 9, 3);
    const options = { size: 2, alpha: 1, beta: 1, k: 1 };
    const pytorch = kernels.lrn(x, { convention: 'pytorch', ...options }).data;
    const onnx = kernels.lrn(x, { convention: 'onnx', ...options }).data;
    // Channel 0: PyTorch's window is [c−1, c] (clipped to [0]); ONNX's is [c, c+1].
    const [a = 0, b = 0] = x.data;
    assertClose(
      [pytorch[0] ?? NaN, onnx[0] ?? NaN],
      [a / (1 + (a * a) / 2), a / (1 + (a * a + b * b) / 2)],
    );
  });

  for (const [radius, shape] of [
    [2, [2, 3, 4, 9]],
    [5, [3, 5, 6]],
    [0, [1, 2, 2, 4]],
  ] as const) {
    it(`tf convention, depthRadius ${radius}, vs tfjs-backend-cpu`, () => {
      const x = randomTensor(shape, radius + 20, 2);
      const options = { depthRadius: radius, bias: 1.5, alpha: 0.3, beta: 0.6 };
      const input =
        shape.length === 3
          ? tf.tensor3d(x.data, [...shape] as [number, number, number])
          : tf.tensor4d(x.data, [...shape] as [number, number, number, number]);
      const expected = tf
        .localResponseNormalization(input, radius, options.bias, options.alpha, options.beta)
        .dataSync();
      input.dispose();
      assert.ok(expected instanceof Float32Array);
      assertClose(kernels.lrn(x, { convention: 'tf', ...options }).data, expected, 1e-5, 'tf');
    });
  }
});
