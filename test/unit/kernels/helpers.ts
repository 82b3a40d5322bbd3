// Shared test helpers: deterministic data and the fp32 comparison used by every kernel test.

import assert from 'node:assert/strict';
import type { Tensor } from '../../../src/core/kernels/index';

/** Deterministic values in [-1, 1) (mulberry32), scaled and shifted. */
export function randomTensor(shape: readonly number[], seed: number, scale = 1, shift = 0): Tensor {
  let state = seed >>> 0;
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    data[i] = (unit * 2 - 1) * scale + shift;
  }
  return { data, shape };
}

/** Deterministic per-channel parameters. */
export function randomVector(length: number, seed: number, scale = 1, shift = 0): Float32Array {
  return randomTensor([length], seed, scale, shift).data;
}

/** Root mean square of the finite entries: the magnitude used for near-zero entries. */
function typicalMagnitude(values: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (const v of Array.from(values)) {
    if (Number.isFinite(v)) {
      sum += v * v;
      count++;
    }
  }
  return count === 0 ? 0 : Math.sqrt(sum / count);
}

/**
 * Asserts |actual − expected| ≤ rtol·(|expected| + m) element-wise, where m is the RMS of the
 * expected values. The m term is how near-zero entries are treated: relative error is
 * meaningless at 0, so there the budget is rtol of the tensor's typical magnitude. NaN must
 * match NaN and infinities must match exactly.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-5,
  what = 'value',
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const magnitude = typicalMagnitude(expected);
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      assert.ok(
        Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)),
        `${what}[${i}]: got ${a}, expected ${e}`,
      );
      continue;
    }
    const excess = Math.abs(a - e) / (Math.abs(e) + magnitude);
    if (!(excess <= worst)) {
      worst = excess;
      worstIndex = i;
    }
  }
  assert.ok(
    worst <= rtol,
    `${what}[${worstIndex}]: got ${actual[worstIndex]}, expected ${expected[worstIndex]} (error ${worst.toExponential(2)} > ${rtol})`,
  );
}
