// Whole-tensor statistics for the panel and the weight checks: counts of special values, finite
// range, mean and variance of the finite values (one SIMD pass), and a histogram.
//
// The finite sums follow moments.ts: values are shifted by K (the mean of the first few finite
// values), summed in float32 blocks folded into float64, and a block whose float32 squares
// overflow or underflow is summed again in float64. Non-finite lanes are masked to 0.

import { asShift, farShift, lanes64, TINY_SQUARES, varianceOf } from './moments';

/** Elements per float32 block: 4 lanes × 16 steps, so a partial sum has 16 terms, as in moments.ts. */
const BLOCK = 64;

/** Nonzero magnitudes below this (2^-25) become 0 in binary16. */
const HALF_UNDERFLOW: f32 = 2.9802322387695312e-8;

/** Finite magnitudes from this one (the rounding midpoint above 65504) become ±Infinity in binary16. */
const HALF_OVERFLOW: f32 = 65520;

/** Finite values averaged for the shift. */
const SHIFT_SAMPLES = 16;

/** Sixteen bytes of static memory for the last, partial vector of a pass. */
const TAIL: usize = memory.data(16, 16);

/** The last `count` (< 4) floats at p as a vector, padded with NaN. */
function tailVector(p: usize, count: i32): v128 {
  v128.store(TAIL, f32x4.splat(NaN));
  memory.copy(TAIL, p, (<usize>count) << 2);
  return v128.load(TAIL);
}

/** Sum of the four lanes of an integer vector. */
function lanesI32(v: v128): i32 {
  const w = i32x4.add(v, i64x2.shuffle(v, v, 1, 0));
  return i32x4.extract_lane(w, 0) + i32x4.extract_lane(w, 1);
}

/** Σ(x−k)² of the last `finiteSums64` call. */
let squaresOut: f64 = 0;

/** Σ(x−k) over the finite values among `len` floats at p, in float64; Σ(x−k)² to squaresOut. */
function finiteSums64(p: usize, len: i32, k: f64): f64 {
  let sum: f64 = 0;
  let squares: f64 = 0;
  for (let i = 0; i < len; i++) {
    const v = <f64>load<f32>(p + ((<usize>i) << 2));
    if (v - v == 0) {
      const d = v - k;
      sum += d;
      squares += d * d;
    }
  }
  squaresOut = squares;
  return sum;
}

/** Shift for the finite sums: the float32 mean of the first SHIFT_SAMPLES finite values, or 0. */
function finiteShift(x: usize, n: i32): f64 {
  let sum: f64 = 0;
  let taken = 0;
  for (let i = 0; i < n && taken < SHIFT_SAMPLES; i++) {
    const v = <f64>load<f32>(x + ((<usize>i) << 2));
    if (v - v == 0) {
      sum += v;
      taken++;
    }
  }
  return taken > 0 ? asShift(sum / <f64>taken) : 0;
}

/**
 * One pass over `n` floats at x with shift k. Writes 10 float64 values to `out`: finite min,
 * finite max, NaN count, +Inf count, −Inf count, zero count, fp16 underflow count, fp16 overflow
 * count, Σ(x−k) and Σ(x−k)² over the finite values.
 */
function summaryPass(x: usize, n: i32, k: f64, out: usize): void {
  const kv = f32x4.splat(<f32>k);
  const inf = f32x4.splat(Infinity);
  const negInf = f32x4.splat(-Infinity);
  const tiny = f32x4.splat(HALF_UNDERFLOW);
  const huge = f32x4.splat(HALF_OVERFLOW);
  const zero = f32x4.splat(0);
  let lo = inf;
  let hi = negInf;
  // Integer counters: a true comparison is all ones (−1), so subtracting it counts one.
  let nans = i32x4.splat(0);
  let posInfs = nans;
  let negInfs = nans;
  let zeros = nans;
  let belowHalf = nans;
  let aboveHalf = nans;
  let sum: f64 = 0;
  let squares: f64 = 0;
  for (let start = 0; start < n; start += BLOCK) {
    const end = min<i32>(start + BLOCK, n);
    let s = zero;
    let q = zero;
    for (let i = start; i < end; i += 4) {
      const at = x + ((<usize>i) << 2);
      const v = i + 4 <= end ? v128.load(at) : tailVector(at, end - i);
      const a = f32x4.abs(v);
      const finite = f32x4.lt(a, inf);
      const positive = f32x4.eq(v, inf);
      const negative = f32x4.eq(v, negInf);
      nans = i32x4.sub(nans, f32x4.ne(v, v));
      posInfs = i32x4.sub(posInfs, positive);
      negInfs = i32x4.sub(negInfs, negative);
      zeros = i32x4.sub(zeros, f32x4.eq(a, zero));
      // |x| < 2^-25 counts zeros too, and |x| ≥ 65520 counts infinities; both are taken off below.
      belowHalf = i32x4.sub(belowHalf, f32x4.lt(a, tiny));
      aboveHalf = i32x4.sub(aboveHalf, f32x4.ge(a, huge));
      // Infinities become NaN (all bits set), and pmin/pmax keep the old value for NaN lanes:
      // single instructions, where min/max also propagate NaN at several instructions each.
      const ranged = v128.or(v, v128.or(positive, negative));
      lo = f32x4.pmin(lo, ranged);
      hi = f32x4.pmax(hi, ranged);
      const d = v128.and(f32x4.sub(v, kv), finite);
      s = f32x4.add(s, d);
      q = f32x4.add(q, f32x4.mul(d, d));
    }
    const blockSquares = lanes64(q);
    // False for NaN too; `< Infinity` catches overflow of the float32 squares.
    if (blockSquares >= TINY_SQUARES && blockSquares < Infinity) {
      sum += lanes64(s);
      squares += blockSquares;
    } else {
      sum += finiteSums64(x + ((<usize>start) << 2), end - start, k);
      squares += squaresOut;
    }
  }
  lo = f32x4.min(lo, i64x2.shuffle(lo, lo, 1, 0));
  hi = f32x4.max(hi, i64x2.shuffle(hi, hi, 1, 0));
  const padding = (4 - (n & 3)) & 3;
  const posInf = lanesI32(posInfs);
  const negInfCount = lanesI32(negInfs);
  const zeroCount = lanesI32(zeros);
  store<f64>(out, <f64>min<f32>(f32x4.extract_lane(lo, 0), f32x4.extract_lane(lo, 1)));
  store<f64>(out, <f64>max<f32>(f32x4.extract_lane(hi, 0), f32x4.extract_lane(hi, 1)), 8);
  store<f64>(out, <f64>(lanesI32(nans) - padding), 16);
  store<f64>(out, <f64>posInf, 24);
  store<f64>(out, <f64>negInfCount, 32);
  store<f64>(out, <f64>zeroCount, 40);
  store<f64>(out, <f64>(lanesI32(belowHalf) - zeroCount), 48);
  store<f64>(out, <f64>(lanesI32(aboveHalf) - posInf - negInfCount), 56);
  store<f64>(out, sum, 64);
  store<f64>(out, squares, 72);
}

/**
 * Writes 10 float64 values to `out`: finite min, finite max, NaN count, +Inf count, −Inf count,
 * zero count, count of nonzero values that binary16 flushes to zero (|x| < 2^-25), count of
 * finite values that overflow binary16 (|x| ≥ 65520), and the mean and biased variance of the
 * finite values (NaN when there are none). One pass, or two when the shift proves far off.
 */
export function summarize(x: usize, n: i32, out: usize): void {
  let k = finiteShift(x, n);
  summaryPass(x, n, k, out);
  const finite = <f64>n - load<f64>(out, 16) - load<f64>(out, 24) - load<f64>(out, 32);
  const inverse = 1 / finite;
  let sum = load<f64>(out, 64);
  let squares = load<f64>(out, 72);
  if (finite > 0 && farShift(sum, squares, inverse)) {
    k = asShift(k + sum * inverse);
    summaryPass(x, n, k, out);
    sum = load<f64>(out, 64);
    squares = load<f64>(out, 72);
  }
  store<f64>(out, finite > 0 ? k + sum * inverse : NaN, 64);
  store<f64>(out, finite > 0 ? varianceOf(sum, squares, inverse) : NaN, 72);
}

/**
 * Counts finite values into `bins` equal bins over [lo, hi] (hi falls in the last bin); values
 * below lo and above hi are counted after the bins; NaN and infinities are not counted (see
 * `summarize`). `tables` is scratch for 4 × (bins + 3) u32 counts; on return its first bins + 2
 * entries are the bin counts, then the counts below and above.
 *
 * Each vector lane counts into its own table, so runs of equal bins (weights crowd near 0) do
 * not wait on one counter's store; the tables are added up at the end.
 */
export function histogram(x: usize, n: i32, lo: f64, hi: f64, bins: i32, tables: usize): void {
  const stride = (<usize>(bins + 3)) << 2;
  memory.fill(tables, 0, stride << 2);
  // Bin i holds lo + i·w ≤ x < lo + (i+1)·w. For lo = hi the scale is infinite and 0·∞ = NaN,
  // which the saturating conversion makes bin 0.
  const scale = f64x2.splat(<f64>bins / (hi - lo));
  const low = f64x2.splat(lo);
  const high = f64x2.splat(hi);
  const last = i32x4.splat(bins - 1);
  const below = i32x4.splat(bins);
  const above = i32x4.splat(bins + 1);
  const skipped = i32x4.splat(bins + 2);
  const inf = f32x4.splat(Infinity);
  for (let i = 0; i < n; i += 4) {
    const at = x + ((<usize>i) << 2);
    const v = i + 4 <= n ? v128.load(at) : tailVector(at, n - i);
    // Lanes 0–1 and 2–3 in float64, as the scalar definition compares and scales them.
    const v0 = f64x2.promote_low_f32x4(v);
    const v1 = f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
    let slot = i32x4.shuffle(
      i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.sub(v0, low), scale)),
      i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.sub(v1, low), scale)),
      0,
      1,
      4,
      5,
    );
    slot = i32x4.min_s(slot, last);
    // A float64 comparison mask is 64 bits per lane; its low halves make the 32-bit lane masks.
    slot = v128.bitselect(
      below,
      slot,
      i32x4.shuffle(f64x2.lt(v0, low), f64x2.lt(v1, low), 0, 2, 4, 6),
    );
    slot = v128.bitselect(
      above,
      slot,
      i32x4.shuffle(f64x2.gt(v0, high), f64x2.gt(v1, high), 0, 2, 4, 6),
    );
    slot = v128.bitselect(slot, skipped, f32x4.lt(f32x4.abs(v), inf));
    const p0 = tables + ((<usize>i32x4.extract_lane(slot, 0)) << 2);
    const p1 = tables + stride + ((<usize>i32x4.extract_lane(slot, 1)) << 2);
    const p2 = tables + 2 * stride + ((<usize>i32x4.extract_lane(slot, 2)) << 2);
    const p3 = tables + 3 * stride + ((<usize>i32x4.extract_lane(slot, 3)) << 2);
    store<u32>(p0, load<u32>(p0) + 1);
    store<u32>(p1, load<u32>(p1) + 1);
    store<u32>(p2, load<u32>(p2) + 1);
    store<u32>(p3, load<u32>(p3) + 1);
  }
  for (let j = 0; j < bins + 2; j++) {
    const p = tables + ((<usize>j) << 2);
    store<u32>(
      p,
      load<u32>(p) + load<u32>(p + stride) + load<u32>(p + 2 * stride) + load<u32>(p + 3 * stride),
    );
  }
}
