// Whole-tensor statistics for the panel: counts of special values, finite range, histogram.

/**
 * Writes 8 float64 values to `out`: finite min, finite max, NaN count, +Inf count, −Inf count,
 * zero count, count of nonzero values that binary16 flushes to zero (|x| < 2^-25), and count of
 * finite values that overflow binary16 (|x| ≥ 65520).
 */
export function summarize(x: usize, n: i32, out: usize): void {
  let lo: f32 = Infinity;
  let hi: f32 = -Infinity;
  let nans = 0;
  let posInf = 0;
  let negInf = 0;
  let zeros = 0;
  let halfUnderflow = 0;
  let halfOverflow = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + ((<usize>i) << 2));
    if (v != v) {
      nans++;
    } else if (v == Infinity) {
      posInf++;
    } else if (v == -Infinity) {
      negInf++;
    } else {
      lo = min<f32>(lo, v);
      hi = max<f32>(hi, v);
      const a = abs<f32>(v);
      if (a == 0) zeros++;
      else if (a < 2.9802322387695312e-8) halfUnderflow++;
      else if (a >= 65520) halfOverflow++;
    }
  }
  store<f64>(out, <f64>lo);
  store<f64>(out, <f64>hi, 8);
  store<f64>(out, <f64>nans, 16);
  store<f64>(out, <f64>posInf, 24);
  store<f64>(out, <f64>negInf, 32);
  store<f64>(out, <f64>zeros, 40);
  store<f64>(out, <f64>halfUnderflow, 48);
  store<f64>(out, <f64>halfOverflow, 56);
}

/**
 * Counts finite values into `bins` equal bins over [lo, hi] (u32 counts; hi falls in the last
 * bin). counts[bins] gets values below lo and counts[bins + 1] values above hi; NaN and
 * infinities are not counted (see `summarize`).
 */
export function histogram(x: usize, n: i32, lo: f64, hi: f64, bins: i32, counts: usize): void {
  const width = (hi - lo) / <f64>bins;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(x + ((<usize>i) << 2));
    if (v - v != 0) continue;
    let slot: i32;
    if (v < lo) slot = bins;
    else if (v > hi) slot = bins + 1;
    else slot = width > 0 ? min<i32>(<i32>Math.floor((v - lo) / width), bins - 1) : 0;
    const p = counts + ((<usize>slot) << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
}
