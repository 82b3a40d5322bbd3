// Statistics helpers and kernel-memory tensors, against plain float64 loops written here.

import assert from 'node:assert/strict';
import { loadKernels, type Kernels, type TensorSummary } from '../../../src/core/kernels/index';
import { assertClose, randomTensor } from './helpers';

/** The summary by definition, one value at a time in float64 (two-pass mean and variance). */
function referenceSummary(data: Float32Array): TensorSummary {
  const finite = Array.from(data).filter((v) => Number.isFinite(v));
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const variance = finite.reduce((a, b) => a + (b - mean) ** 2, 0) / finite.length;
  const count = (test: (v: number) => boolean): number => Array.from(data).filter(test).length;
  return {
    count: data.length,
    min: finite.length > 0 ? Math.min(...finite) : NaN,
    max: finite.length > 0 ? Math.max(...finite) : NaN,
    nanCount: count(Number.isNaN),
    posInfCount: count((v) => v === Infinity),
    negInfCount: count((v) => v === -Infinity),
    zeroCount: count((v) => v === 0),
    fp16UnderflowCount: count((v) => v !== 0 && Math.abs(v) < 2 ** -25),
    fp16OverflowCount: count((v) => Number.isFinite(v) && Math.abs(v) >= 65520),
    mean: finite.length > 0 ? mean : NaN,
    variance: finite.length > 0 ? variance : NaN,
  };
}

/**
 * Asserts a summary's counts and range exactly, its mean within 1e-6 standard deviations and its
 * variance within 1e-6 relative (the moments' criterion: float32 blocks folded into float64).
 */
function assertSummary(actual: TensorSummary, expected: TensorSummary, what: string): void {
  const { mean, variance, ...exact } = actual;
  const { mean: expectedMean, variance: expectedVariance, ...expectedExact } = expected;
  assert.deepEqual(exact, expectedExact, what);
  if (Number.isNaN(expectedMean)) {
    assert.ok(Number.isNaN(mean) && Number.isNaN(variance), `${what}: mean and variance are NaN`);
    return;
  }
  const std = Math.sqrt(expectedVariance);
  assert.ok(
    Math.abs(mean - expectedMean) <= 1e-6 * std || mean === expectedMean,
    `${what}: mean ${mean}, expected ${expectedMean}`,
  );
  assert.ok(
    Math.abs(variance - expectedVariance) <= 1e-6 * expectedVariance,
    `${what}: variance ${variance}, expected ${expectedVariance}`,
  );
}

/** The bin of v by the edges lo + i·(hi − lo)/bins, in float64; -1 below, bins above. */
function referenceBin(v: number, lo: number, hi: number, bins: number): number {
  if (v < lo) return -1;
  if (v > hi) return bins;
  let bin = 0;
  while (bin < bins - 1 && lo + ((hi - lo) * (bin + 1)) / bins <= v) bin++;
  return bin;
}

/** Random values with NaN, ±Infinity, zeros and fp16-range extremes sprinkled in at `rate`. */
function withSpecials(length: number, seed: number, rate: number): Float32Array {
  const data = randomTensor([length], seed, 3, 0.5).data;
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-30, -2e-8, 7e4, -1e30];
  const picks = randomTensor([length], seed + 1).data;
  return data.map((v, i) => {
    const pick = ((picks[i] ?? 0) + 1) / 2;
    return pick < rate ? (specials[Math.floor((pick / rate) * specials.length)] ?? v) : v;
  });
}

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
    const { mean, variance, ...counts } = kernels.summarize({ data: special, shape: [11] });
    assertSummary({ ...counts, mean, variance }, referenceSummary(special), 'special values');
    assert.deepEqual(counts, {
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

  it('summarize agrees with a float64 reference across lengths, blocks and tails', () => {
    // Lengths around the 4-float vectors and the 64-float blocks, with and without specials.
    for (const length of [1, 2, 3, 5, 63, 64, 65, 66, 1000, 4099]) {
      for (const rate of [0, 0.05, 0.5]) {
        const data = withSpecials(length, length * 7 + Math.round(rate * 100), rate);
        const what = `length ${length}, specials ${rate}`;
        assertSummary(kernels.summarize({ data, shape: [length] }), referenceSummary(data), what);
      }
    }
  });

  it('summarize keeps float64 accuracy for huge, tiny and far-off values', () => {
    const cases: [string, Float32Array][] = [
      // Squares of 1e30 overflow float32 and those of 1e-25 underflow: both blocks go to float64.
      ['1e30', randomTensor([300], 11, 1e30).data],
      ['1e-25', randomTensor([300], 12, 1e-25).data],
      // The first values are far from the mean, so the shift is replaced and the pass repeated.
      ['far shift', Float32Array.from({ length: 500 }, (_, i) => (i < 16 ? 1e4 : (i % 7) * 0.25))],
      ['constant', new Float32Array(260).fill(0.1)],
      ['large mean', randomTensor([1000], 13, 1e-3, 1e4).data],
      ['all NaN', new Float32Array(9).fill(NaN)],
      ['empty', new Float32Array(0)],
    ];
    for (const [what, data] of cases) {
      assertSummary(
        kernels.summarize({ data, shape: [data.length] }),
        referenceSummary(data),
        what,
      );
    }
  });

  it('histogram agrees with the bin edges in float64, with specials and tails', () => {
    for (const length of [1, 3, 64, 1001]) {
      const data = withSpecials(length, length + 5, 0.1);
      for (const [bins, range] of [
        [1, [-1, 1]],
        [7, [-0.7, 0.9]],
        [64, undefined],
      ] as const) {
        const h = kernels.histogram({ data, shape: [length] }, range ? { bins, range } : { bins });
        const { min, max } = referenceSummary(data);
        const [lo, hi] = range ?? [min, max];
        const expected = new Array<number>(bins + 2).fill(0);
        for (const v of data) {
          if (Number.isFinite(v)) {
            const bin = referenceBin(v, lo, hi, bins);
            const slot = bin < 0 ? bins : bin >= bins ? bins + 1 : bin;
            expected[slot] = (expected[slot] ?? 0) + 1;
          }
        }
        assert.deepEqual(
          [...Array.from(h.counts), h.below, h.above],
          expected,
          `length ${length}, ${bins} bins`,
        );
      }
    }
  });

  it('histogram of a single value puts it in the first bin', () => {
    const h = kernels.histogram({ data: new Float32Array(5).fill(2), shape: [5] }, { bins: 4 });
    assert.deepEqual(Array.from(h.edges), [2, 2, 2, 2, 2]);
    assert.deepEqual([...Array.from(h.counts), h.below, h.above], [5, 0, 0, 0, 0, 0]);
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
