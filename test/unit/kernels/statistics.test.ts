// Statistics helpers and kernel-memory tensors, against plain float64 loops written here.

import assert from 'node:assert/strict';
import { loadKernels, type Kernels } from '../../../src/core/kernels/index';
import { assertClose, randomTensor } from './helpers';

describe('kernels: statistics and memory', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  const special = Float32Array.from([
    0,
    -0,
    1e-30,
    7e5,
    -7e5,
    NaN,
    Infinity,
    -Infinity,
    2.5,
    -3,
    NaN,
  ]);

  it('summarize counts special values and the finite range', () => {
    assert.deepEqual(kernels.summarize({ data: special, shape: [11] }), {
      count: 11,
      min: -7e5,
      max: 7e5,
      nanCount: 2,
      posInfCount: 1,
      negInfCount: 1,
      zeroCount: 2,
      fp16UnderflowCount: 1,
      fp16OverflowCount: 2,
    });
  });

  it('histogram bins finite values and counts out-of-range ones', () => {
    const h = kernels.histogram({ data: special, shape: [11] }, { bins: 4, range: [-4, 4] });
    assert.deepEqual(Array.from(h.edges), [-4, -2, 0, 2, 4]);
    // -3 → bin 0; 0, -0, 1e-30 → bin 2; 2.5 → bin 3.
    assert.deepEqual(Array.from(h.counts), [1, 0, 3, 1]);
    assert.deepEqual([h.below, h.above], [1, 1]);
  });

  it('moments over all axes and over none', () => {
    const x = randomTensor([3, 4], 5, 2, 1);
    const values = Array.from(x.data);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    const all = kernels.moments(x, [0, 1]);
    assertClose([all.mean[0] ?? NaN, all.variance[0] ?? NaN], [mean, variance]);
    const none = kernels.moments(x, []);
    assert.deepEqual(Array.from(none.mean), values);
    assert.deepEqual(Array.from(none.variance), new Array<number>(12).fill(0));
  });

  it('roundToPrecision rounds to nearest even in fp16 and bf16', () => {
    const x = {
      data: Float32Array.from([1e-8, 1e-5, 65519, 65520, 1 + 2 ** -11, 1 + 2 ** -8 + 2 ** -9]),
      shape: [6],
    };
    const half = kernels.roundToPrecision(x, 'fp16').data;
    assert.deepEqual(Array.from(half.slice(0, 5)), [0, 1.0013580322265625e-5, 65504, Infinity, 1]);
    const brain = kernels.roundToPrecision(x, 'bf16').data;
    assert.equal(brain[5], 1 + 2 ** -7);
  });

  it('tensors in kernel memory are used in place and survive memory growth', () => {
    const x = kernels.allocate([2, 3, 4], randomTensor([2, 3, 4], 6).data);
    const y = kernels.allocate([2, 3, 4]);
    const expected = kernels.layerNorm({ data: x.data.slice(), shape: x.shape }, { eps: 1e-5 }).y
      .data;
    const result = kernels.layerNorm(x, { eps: 1e-5 }, y);
    assert.equal(result.y, y);
    const big = kernels.allocate([1 << 22]); // grows the memory, detaching old views
    assert.deepEqual(y.data, expected);
    big.release();
    x.release();
    y.release();
  });

  it('writes into a caller-provided array', () => {
    const x = randomTensor([4, 8], 7);
    const out = new Float32Array(32);
    const result = kernels.rmsNorm(x, {}, out);
    assert.equal(result.y.data, out);
    assert.ok(out.some((v) => v !== 0));
    assert.throws(() => kernels.rmsNorm(x, {}, new Float32Array(3)), /out has 3 elements/);
  });
});
