// Moment accumulation. Every reduction is expressed as a block [a, b, c] (c innermost) where `a`
// and `c` are reduced and `b` is kept. Per kept index j the accumulators hold a shift K_j, S1 =
// Σ(x−K) and S2 = Σ(x−K)². K is the mean of the first few elements (see `shiftOf`), so the
// shifted values are centred: the sums stay small when |mean| >> std, and the float32 partial
// sums below lose nothing to a far-off shift (a shift that proves far off is replaced by the
// mean and the sums are taken again).
//
// Runs are summed in float32 over blocks (at most 18 terms per partial sum along a run, 32 down
// columns) and each block is folded into float64, which keeps float64 accuracy at float32 SIMD
// speed. A block whose float32 squares overflow, underflow or meet a NaN is summed again in
// float64, so extreme values (1e30, 1e-30) keep float64 accuracy.

/** Elements per float32 block: 4 chains × 4 lanes × 16 steps. */
const BLOCK = 256;

/** Smallest float32 block sum of squares that is trusted (2^-96); below it, float64 is used. */
export const TINY_SQUARES: f64 = 1.262177448353619e-29;

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
export function lanes64(v: v128): f64 {
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
    // Four float32 partial sums of at most 18 terms each; their float32 sum adds one rounding.
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

/** Elements averaged for a shift. */
const SHIFT_SAMPLES = 16;

/**
 * Shift for the elements at p, p + stride, …: the float32-rounded mean of the first
 * min(count, SHIFT_SAMPLES) of them (float32, because the float32 path subtracts it exactly as
 * the float64 path does), or 0 when that mean is not finite (a NaN or infinite shift would
 * poison every shifted sum) or there are no elements.
 */
export function shiftOf(p: usize, count: i32, stride: usize): f64 {
  if (stride == 4 && count >= SHIFT_SAMPLES) {
    // Contiguous: eight 2-float loads (the shift is computed per row, so this matters for short rows).
    const a = f64x2.add(
      f64x2.add(
        f64x2.promote_low_f32x4(v128.load64_zero(p)),
        f64x2.promote_low_f32x4(v128.load64_zero(p + 8)),
      ),
      f64x2.add(
        f64x2.promote_low_f32x4(v128.load64_zero(p + 16)),
        f64x2.promote_low_f32x4(v128.load64_zero(p + 24)),
      ),
    );
    const b = f64x2.add(
      f64x2.add(
        f64x2.promote_low_f32x4(v128.load64_zero(p + 32)),
        f64x2.promote_low_f32x4(v128.load64_zero(p + 40)),
      ),
      f64x2.add(
        f64x2.promote_low_f32x4(v128.load64_zero(p + 48)),
        f64x2.promote_low_f32x4(v128.load64_zero(p + 56)),
      ),
    );
    const sum = f64x2.add(a, b);
    return asShift((f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1)) * (1.0 / 16));
  }
  const n = min<i32>(count, SHIFT_SAMPLES);
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += <f64>load<f32>(p + <usize>i * stride);
  return asShift(sum / <f64>n);
}

/** A value as a shift: rounded to float32, or 0 when not finite. */
export function asShift(v: f64): f64 {
  const k = <f64>(<f32>v);
  return k - k == 0 ? k : 0;
}

/**
 * Whether shifted sums lost accuracy to a far-off shift: when the mean lies more than two
 * standard deviations from the shift, S2 − S1²/n cancels and the float32 partial sums' rounding
 * is magnified. The sums are then taken again around the mean found (`inverse` is 1/count).
 */
export function farShift(sum: f64, squares: f64, inverse: f64): bool {
  const offset = sum * inverse;
  return offset * offset > 4 * varianceOf(sum, squares, inverse);
}

/** Shift used by the last `centeredSums` call. */
let shiftOut: f64 = 0;

/** The shift chosen by the last `centeredSums` call. */
export function lastShift(): f64 {
  return shiftOut;
}

/** Σ(x−k) over the `a` runs of c floats of index j in the block [a, b, c]; Σ(x−k)² to squaresOut. */
function setSums(x: usize, a: i32, b: i32, c: i32, j: i32, k: f64): f64 {
  let sum: f64 = 0;
  let squares: f64 = 0;
  for (let i = 0; i < a; i++) {
    sum += sumShifted(x + ((<usize>(i * b + j) * <usize>c) << 2), c, k);
    squares += squaresOut;
  }
  squaresOut = squares;
  return sum;
}

/**
 * Shifted sums of index j of the block [a, b, c] (c > 1), shifted by `shiftOf` its first run,
 * or by the mean when that shift proves far off (`farShift`). `inverse` is 1/(a·c), passed in
 * because a division per set costs as much as summing a short run. The shift goes to
 * `lastShift()`, Σ(x−K)² to `lastSquares()`; returns Σ(x−K).
 */
export function centeredSums(x: usize, a: i32, b: i32, c: i32, j: i32, inverse: f64): f64 {
  let k = a > 0 ? shiftOf(x + ((<usize>j * <usize>c) << 2), c, 4) : 0;
  let sum = setSums(x, a, b, c, j, k);
  if (farShift(sum, squaresOut, inverse)) {
    k = asShift(k + sum * inverse);
    sum = setSums(x, a, b, c, j, k);
  }
  shiftOut = k;
  return sum;
}

/**
 * Adds the block [a, b, c] at `x` into the accumulators (float64 arrays of length b).
 * `init`: 0 = add to existing sums; 1 = reset, with shifts from `shiftOf`;
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
  if (init == 1 && c > 1) {
    const inverse = 1 / (<f64>a * <f64>c);
    for (let j = 0; j < b; j++) {
      const o = (<usize>j) << 3;
      store<f64>(s1 + o, centeredSums(x, a, b, c, j, inverse));
      store<f64>(s2 + o, squaresOut);
      store<f64>(shift + o, shiftOut);
    }
    return;
  }
  if (init != 0) {
    // Columns (c = 1) take their shift down the rows; raw sums (init = 2) have none.
    for (let j = 0; j < b; j++) {
      const o = (<usize>j) << 3;
      const k = init == 1 && a > 0 ? shiftOf(x + ((<usize>j) << 2), a, (<usize>b) << 2) : 0;
      store<f64>(shift + o, k);
      store<f64>(s1 + o, 0);
      store<f64>(s2 + o, 0);
    }
  }
  if (c == 1) {
    accumulateColumns(x, a, b, shift, s1, s2);
    if (init == 1) {
      recenterColumns(x, a, b, shift, s1, s2);
    }
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

/** Rows per float32 block of the column sums: 32 terms per partial sum, as along rows. */
const STRIP_ROWS = 32;

/** The 4-column float32 shift vector of columns j..j+3 (the shifts are float32 values). */
function shiftVector(shift: usize, j: i32): v128 {
  const o = shift + ((<usize>j) << 3);
  let v = f32x4.splat(<f32>load<f64>(o));
  v = f32x4.replace_lane(v, 1, <f32>load<f64>(o, 8));
  v = f32x4.replace_lane(v, 2, <f32>load<f64>(o, 16));
  return f32x4.replace_lane(v, 3, <f32>load<f64>(o, 24));
}

/** Whether all lanes of a float32 block sum of squares are trustworthy (see the file comment). */
function trusted(q: v128): bool {
  const tiny = f32x4.splat(<f32>TINY_SQUARES);
  const huge = f32x4.splat(Infinity);
  return v128.all_true<i32>(v128.and(f32x4.ge(q, tiny), f32x4.lt(q, huge)));
}

/** Adds a float32 vector of column sums to the float64 accumulators of columns j..j+3. */
function fold(acc: usize, j: i32, v: v128): void {
  const o = acc + ((<usize>j) << 3);
  v128.store(o, f64x2.add(v128.load(o), f64x2.promote_low_f32x4(v)));
  const high = f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
  v128.store(o, f64x2.add(v128.load(o, 16), high), 16);
}

/** Columns j..j+width−1 of `rows` rows of `b` floats, summed in float64 (the fallback path). */
function columns64(
  x: usize,
  rows: i32,
  b: i32,
  j: i32,
  width: i32,
  shift: usize,
  s1: usize,
  s2: usize,
): void {
  for (let col = j; col < j + width; col++) {
    const o = (<usize>col) << 3;
    const k = load<f64>(shift + o);
    let sum: f64 = 0;
    let squares: f64 = 0;
    for (let i = 0; i < rows; i++) {
      const d = <f64>load<f32>(x + ((<usize>(i * b + col)) << 2)) - k;
      sum += d;
      squares += d * d;
    }
    store<f64>(s1 + o, load<f64>(s1 + o) + sum);
    store<f64>(s2 + o, load<f64>(s2 + o) + squares);
  }
}

/**
 * Columns j..j+15 over `rows` rows: four vectors kept in registers, folded every STRIP_ROWS
 * rows. One long strided sweep per strip lets the hardware prefetcher follow it.
 */
function strip16(x: usize, rows: i32, b: i32, j: i32, shift: usize, s1: usize, s2: usize): void {
  const k0 = shiftVector(shift, j);
  const k1 = shiftVector(shift, j + 4);
  const k2 = shiftVector(shift, j + 8);
  const k3 = shiftVector(shift, j + 12);
  const step = (<usize>b) << 2;
  for (let i0 = 0; i0 < rows; i0 += STRIP_ROWS) {
    const end = min<i32>(i0 + STRIP_ROWS, rows);
    let s0 = f32x4.splat(0);
    let sa = s0;
    let sb = s0;
    let sc = s0;
    let q0 = s0;
    let qa = s0;
    let qb = s0;
    let qc = s0;
    let at = x + <usize>i0 * step + ((<usize>j) << 2);
    for (let i = i0; i < end; i++) {
      const d0 = f32x4.sub(v128.load(at), k0);
      const d1 = f32x4.sub(v128.load(at, 16), k1);
      const d2 = f32x4.sub(v128.load(at, 32), k2);
      const d3 = f32x4.sub(v128.load(at, 48), k3);
      s0 = f32x4.add(s0, d0);
      sa = f32x4.add(sa, d1);
      sb = f32x4.add(sb, d2);
      sc = f32x4.add(sc, d3);
      q0 = f32x4.add(q0, f32x4.mul(d0, d0));
      qa = f32x4.add(qa, f32x4.mul(d1, d1));
      qb = f32x4.add(qb, f32x4.mul(d2, d2));
      qc = f32x4.add(qc, f32x4.mul(d3, d3));
      at += step;
    }
    const low = f32x4.min(f32x4.min(q0, qa), f32x4.min(qb, qc));
    const high = f32x4.max(f32x4.max(q0, qa), f32x4.max(qb, qc));
    if (trusted(low) && trusted(high)) {
      fold(s1, j, s0);
      fold(s1, j + 4, sa);
      fold(s1, j + 8, sb);
      fold(s1, j + 12, sc);
      fold(s2, j, q0);
      fold(s2, j + 4, qa);
      fold(s2, j + 8, qb);
      fold(s2, j + 12, qc);
    } else {
      columns64(x + <usize>i0 * step, end - i0, b, j, 16, shift, s1, s2);
    }
  }
}

/** Columns j..j+3 over `rows` rows, folded every STRIP_ROWS rows. */
function strip4(x: usize, rows: i32, b: i32, j: i32, shift: usize, s1: usize, s2: usize): void {
  const k = shiftVector(shift, j);
  const step = (<usize>b) << 2;
  for (let i0 = 0; i0 < rows; i0 += STRIP_ROWS) {
    const end = min<i32>(i0 + STRIP_ROWS, rows);
    let s = f32x4.splat(0);
    let q = s;
    let at = x + <usize>i0 * step + ((<usize>j) << 2);
    for (let i = i0; i < end; i++) {
      const d = f32x4.sub(v128.load(at), k);
      s = f32x4.add(s, d);
      q = f32x4.add(q, f32x4.mul(d, d));
      at += step;
    }
    if (trusted(q)) {
      fold(s1, j, s);
      fold(s2, j, q);
    } else {
      columns64(x + <usize>i0 * step, end - i0, b, j, 4, shift, s1, s2);
    }
  }
}

/**
 * Rows too wide for the strips (over STRIP_COLUMNS columns: reading 64 bytes of every long row
 * streams poorly from memory) or too narrow (under 4), row by row with float64 sums in memory.
 */
function wideColumns(x: usize, a: i32, b: i32, shift: usize, s1: usize, s2: usize): void {
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
    columns64(row, 1, b, j, b - j, shift, s1, s2);
  }
}

/** Widest rows that the register strips handle (see `wideColumns`). */
const STRIP_COLUMNS = 64;

/**
 * The c = 1 case (channels last): `a` rows of `b` columns, each column reduced. Rows of 4 to
 * STRIP_COLUMNS columns are swept in strips of 16 (then 4) columns whose float32 sums stay in registers, folded into the
 * float64 accumulators every STRIP_ROWS rows; other widths go through `wideColumns`.
 */
function accumulateColumns(x: usize, a: i32, b: i32, shift: usize, s1: usize, s2: usize): void {
  if (b > STRIP_COLUMNS || b < 4) {
    wideColumns(x, a, b, shift, s1, s2);
    return;
  }
  let j = 0;
  for (; j + 16 <= b; j += 16) strip16(x, a, b, j, shift, s1, s2);
  for (; j + 4 <= b; j += 4) strip4(x, a, b, j, shift, s1, s2);
  columns64(x, a, b, j, b - j, shift, s1, s2);
}

/** Columns whose shift proved far off (`farShift`) summed again around their mean, in float64. */
function recenterColumns(x: usize, a: i32, b: i32, shift: usize, s1: usize, s2: usize): void {
  const inverse = 1 / <f64>a;
  for (let j = 0; j < b; j++) {
    const o = (<usize>j) << 3;
    const sum = load<f64>(s1 + o);
    if (farShift(sum, load<f64>(s2 + o), inverse)) {
      store<f64>(shift + o, asShift(load<f64>(shift + o) + sum * inverse));
      store<f64>(s1 + o, 0);
      store<f64>(s2 + o, 0);
      columns64(x, a, b, j, 1, shift, s1, s2);
    }
  }
}

/**
 * Pools per-channel means and biased variances (equal counts) into `groups` groups of `size`
 * adjacent channels: the group mean is the mean of the means, and its variance the mean of the
 * variances plus the variance of the means (exact for equal counts, and free of cancellation).
 */
export function poolMoments(
  groups: i32,
  size: i32,
  mean: usize,
  variance: usize,
  groupMean: usize,
  groupVariance: usize,
): void {
  const inverse = 1 / <f64>size;
  for (let g = 0; g < groups; g++) {
    const first = (<usize>(g * size)) << 3;
    let m: f64 = 0;
    let v: f64 = 0;
    for (let j = 0; j < size; j++) {
      const o = first + ((<usize>j) << 3);
      m += load<f64>(mean + o);
      v += load<f64>(variance + o);
    }
    m *= inverse;
    let spread: f64 = 0;
    for (let j = 0; j < size; j++) {
      const d = load<f64>(mean + first + ((<usize>j) << 3)) - m;
      spread += d * d;
    }
    const o = (<usize>g) << 3;
    store<f64>(groupMean + o, m);
    store<f64>(groupVariance + o, (v + spread) * inverse);
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
