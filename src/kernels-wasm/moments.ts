// Moment accumulation. Every reduction is expressed as a block [a, b, c] (c innermost) where `a`
// and `c` are reduced and `b` is kept. Per kept index j the accumulators hold a shift K_j (the
// first element seen, so the sums stay small when |mean| >> std), S1 = Σ(x−K) and S2 = Σ(x−K)².
//
// Contiguous runs are summed in float32 over blocks of at most BLOCK elements (16 terms per
// partial sum) and each block is folded into float64, which keeps float64 accuracy at float32
// SIMD speed. A block whose float32 squares overflow, underflow or meet a NaN is summed again in
// float64, so extreme values (1e30, 1e-30) get exactly the float64 result.

/** Elements per float32 block: 4 chains × 4 lanes × 16 steps. */
const BLOCK = 256;

/** Smallest float32 block sum of squares that is trusted (2^-96); below it, float64 is used. */
const TINY_SQUARES: f64 = 1.262177448353619e-29;

/** Second result of the shifted sums, since functions return one value. */
let squaresOut: f64 = 0;

/** Σ(x−k) and Σ(x−k)² of one block in float64 (the fallback path); squares go to `squaresOut`. */
function blockSum64(p: usize, len: i32, k: f64): f64 {
  const kk = f64x2.splat(k);
  let s0 = f64x2.splat(0);
  let s1 = s0;
  let q0 = s0;
  let q1 = s0;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const v = v128.load(p + ((<usize>i) << 2));
    const d0 = f64x2.sub(f64x2.promote_low_f32x4(v), kk);
    const d1 = f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), kk);
    s0 = f64x2.add(s0, d0);
    s1 = f64x2.add(s1, d1);
    q0 = f64x2.add(q0, f64x2.mul(d0, d0));
    q1 = f64x2.add(q1, f64x2.mul(d1, d1));
  }
  const s = f64x2.add(s0, s1);
  const q = f64x2.add(q0, q1);
  let sum: f64 = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  let squares: f64 = f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1);
  for (; i < len; i++) {
    const d = <f64>load<f32>(p + ((<usize>i) << 2)) - k;
    sum += d;
    squares += d * d;
  }
  squaresOut = squares;
  return sum;
}

/** Sum of the four lanes of a float32 vector, in float64. */
function lanes64(v: v128): f64 {
  const w = f64x2.add(
    f64x2.promote_low_f32x4(v),
    f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)),
  );
  return f64x2.extract_lane(w, 0) + f64x2.extract_lane(w, 1);
}

/**
 * Σ(x−k) over `len` contiguous floats at `p`, where k is a float32 value; Σ(x−k)² goes to
 * `squaresOut`. Float32 blocks folded into float64 (see the file comment).
 */
export function sumShifted(p: usize, len: i32, k: f64): f64 {
  const kv = f32x4.splat(<f32>k);
  const whole = len & ~3;
  let sum: f64 = 0;
  let squares: f64 = 0;
  let i = 0;
  while (i < whole) {
    const start = i;
    const end = min<i32>(i + BLOCK, whole);
    // Four independent chains per sum hide the latency of the adds.
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let q0 = s0;
    let q1 = s0;
    let q2 = s0;
    let q3 = s0;
    for (; i + 16 <= end; i += 16) {
      const at = p + ((<usize>i) << 2);
      const d0 = f32x4.sub(v128.load(at), kv);
      const d1 = f32x4.sub(v128.load(at, 16), kv);
      const d2 = f32x4.sub(v128.load(at, 32), kv);
      const d3 = f32x4.sub(v128.load(at, 48), kv);
      s0 = f32x4.add(s0, d0);
      s1 = f32x4.add(s1, d1);
      s2 = f32x4.add(s2, d2);
      s3 = f32x4.add(s3, d3);
      q0 = f32x4.add(q0, f32x4.mul(d0, d0));
      q1 = f32x4.add(q1, f32x4.mul(d1, d1));
      q2 = f32x4.add(q2, f32x4.mul(d2, d2));
      q3 = f32x4.add(q3, f32x4.mul(d3, d3));
    }
    for (; i < end; i += 4) {
      const d = f32x4.sub(v128.load(p + ((<usize>i) << 2)), kv);
      s0 = f32x4.add(s0, d);
      q0 = f32x4.add(q0, f32x4.mul(d, d));
    }
    // Four float32 partial sums of at most 17 terms each; their float32 sum adds one rounding.
    const q = lanes64(f32x4.add(f32x4.add(q0, q1), f32x4.add(q2, q3)));
    // `q >= TINY_SQUARES` is false for NaN; `q < Infinity` catches overflow.
    if (q >= TINY_SQUARES && q < Infinity) {
      sum += lanes64(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
      squares += q;
    } else {
      sum += blockSum64(p + ((<usize>start) << 2), end - start, k);
      squares += squaresOut;
    }
  }
  for (; i < len; i++) {
    const d = <f64>load<f32>(p + ((<usize>i) << 2)) - k;
    sum += d;
    squares += d * d;
  }
  squaresOut = squares;
  return sum;
}

/** A finite shift: a NaN or infinite first element would poison every shifted sum. */
export function finiteOrZero(v: f64): f64 {
  return v - v == 0 ? v : 0;
}

/**
 * Adds the block [a, b, c] at `x` into the accumulators (float64 arrays of length b).
 * `init`: 0 = add to existing sums; 1 = reset, shifting by each index's first element;
 * 2 = reset with a zero shift (raw sums, as RMSNorm needs).
 */
export function accumulate(
  x: usize,
  a: i32,
  b: i32,
  c: i32,
  shift: usize,
  s1: usize,
  s2: usize,
  init: i32,
): void {
  if (init != 0) {
    // An empty block has no first element to read; its sums stay 0 and the mean becomes NaN.
    const shifted = init == 1 && a > 0 && c > 0;
    for (let j = 0; j < b; j++) {
      const o = (<usize>j) << 3;
      const first = shifted ? <f64>load<f32>(x + ((<usize>j * <usize>c) << 2)) : 0;
      store<f64>(shift + o, finiteOrZero(first));
      store<f64>(s1 + o, 0);
      store<f64>(s2 + o, 0);
    }
  }
  if (c == 1) {
    accumulateColumns(x, a, b, shift, s1, s2);
    return;
  }
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const o = (<usize>j) << 3;
      const row = x + ((<usize>(i * b + j) * <usize>c) << 2);
      const sum = sumShifted(row, c, load<f64>(shift + o));
      store<f64>(s1 + o, load<f64>(s1 + o) + sum);
      store<f64>(s2 + o, load<f64>(s2 + o) + squaresOut);
    }
  }
}

/** The c = 1 case (channels last): vectorized across the kept index instead of along rows. */
function accumulateColumns(x: usize, a: i32, b: i32, shift: usize, s1: usize, s2: usize): void {
  for (let i = 0; i < a; i++) {
    const row = x + ((<usize>i * <usize>b) << 2);
    let j = 0;
    for (; j + 2 <= b; j += 2) {
      const o = (<usize>j) << 3;
      const v = f64x2.promote_low_f32x4(v128.load64_zero(row + ((<usize>j) << 2)));
      const d = f64x2.sub(v, v128.load(shift + o));
      v128.store(s1 + o, f64x2.add(v128.load(s1 + o), d));
      v128.store(s2 + o, f64x2.add(v128.load(s2 + o), f64x2.mul(d, d)));
    }
    for (; j < b; j++) {
      const o = (<usize>j) << 3;
      const d = <f64>load<f32>(row + ((<usize>j) << 2)) - load<f64>(shift + o);
      store<f64>(s1 + o, load<f64>(s1 + o) + d);
      store<f64>(s2 + o, load<f64>(s2 + o) + d * d);
    }
  }
}

/** Mean of one index from its shift and sums; `inverse` is 1/count (a multiply is faster). */
export function meanOf(shift: f64, sum: f64, inverse: f64): f64 {
  return shift + sum * inverse;
}

/**
 * Biased variance from shifted sums; `inverse` is 1/count. Rounding can make S2 − S1²/n slightly
 * negative; the variance is clamped at 0 (explicitly, since `max` would turn a NaN into 0).
 */
export function varianceOf(sum: f64, squares: f64, inverse: f64): f64 {
  const centered = (squares - sum * (sum * inverse)) * inverse;
  return centered < 0 ? 0 : centered;
}

/**
 * Turns accumulators over `count` elements each into means and biased variances (in place:
 * the mean replaces the shift, the variance replaces S1).
 */
export function finishMoments(n: i32, count: f64, shift: usize, s1: usize, s2: usize): void {
  const inverse = 1 / count;
  for (let j = 0; j < n; j++) {
    const o = (<usize>j) << 3;
    const sum = load<f64>(s1 + o);
    store<f64>(shift + o, meanOf(load<f64>(shift + o), sum, inverse));
    store<f64>(s1 + o, varianceOf(sum, load<f64>(s2 + o), inverse));
  }
}

/** Σ(x−k)² of the last `sumShifted` call. */
export function lastSquares(): f64 {
  return squaresOut;
}
