// Fused normalization passes: each statistics set is reduced and then normalized right away,
// while its elements are still in cache, so memory is read once instead of twice whenever one
// set fits in the cache. The arithmetic is the same as the separate passes (moments.ts,
// coefficients.ts, apply.ts), which these functions call.

import { applyLayerRow, applyRmsRow, applyRunAt } from './apply';
import { coefficientRange, rmsScale } from './coefficients';
import { centeredSums, lastShift, lastSquares, meanOf, sumShifted, varianceOf } from './moments';

/**
 * Channel-wise norms over the block [a, b, c] at `x` (c innermost): statistics set j is the `a`
 * runs of `c` floats at rows i·b + j. Each run is `segments` runs of c / segments floats with
 * their own coefficient index j·segments + s, computed as in `coefficients` (statistics at index
 * / `segments`). BatchNorm NCHW: [N, C, S], one segment; InstanceNorm NCHW: [1, N·C, S];
 * GroupNorm NCHW: [1, N·G, C/G·S] with C/G segments. Means and biased variances go to `mean` and
 * `variance` (float64, length b), the coefficients to the four float32 arrays.
 */
export function normalizeChannels(
  x: usize,
  y: usize,
  a: i32,
  b: i32,
  c: i32,
  segments: i32,
  gamma: usize,
  beta: usize,
  affinePeriod: i32,
  affineDiv: i32,
  eps: f64,
  mode: i32,
  mean: usize,
  variance: usize,
  meanHigh: usize,
  meanLow: usize,
  scale: usize,
  offset: usize,
): void {
  const inverse = 1 / (<f64>a * <f64>c);
  const segmentLen = c / segments;
  for (let j = 0; j < b; j++) {
    const sum = centeredSums(x, a, b, c, j);
    const squares = lastSquares();
    const k = lastShift();
    const o = (<usize>j) << 3;
    store<f64>(mean + o, meanOf(k, sum, inverse));
    store<f64>(variance + o, varianceOf(sum, squares, inverse));
    const k0 = j * segments;
    coefficientRange(
      k0,
      k0 + segments,
      mean,
      variance,
      segments,
      gamma,
      beta,
      affinePeriod,
      affineDiv,
      eps,
      mode,
      meanHigh,
      meanLow,
      scale,
      offset,
    );
    for (let i = 0; i < a; i++) {
      const row = (<usize>(i * b + j) * <usize>c) << 2;
      for (let s = 0; s < segments; s++) {
        const at = row + ((<usize>(s * segmentLen)) << 2);
        applyRunAt(x + at, y + at, segmentLen, k0 + s, meanHigh, meanLow, scale, offset);
      }
    }
  }
}

/**
 * LayerNorm over `rows` rows of `len` floats: per-row statistics (to `mean` and `variance`,
 * float64) and coefficients (to the first three float32 arrays; `offset` gets 0), then per-column
 * γ and β, given both or neither (0).
 */
export function normalizeLayer(
  x: usize,
  y: usize,
  rows: i32,
  len: i32,
  gamma: usize,
  beta: usize,
  eps: f64,
  mode: i32,
  mean: usize,
  variance: usize,
  meanHigh: usize,
  meanLow: usize,
  scale: usize,
  offset: usize,
): void {
  const inverse = 1 / <f64>len;
  for (let r = 0; r < rows; r++) {
    const row = (<usize>r * <usize>len) << 2;
    const sum = centeredSums(x, 1, rows, len, r);
    const k = lastShift();
    const o = (<usize>r) << 3;
    store<f64>(mean + o, meanOf(k, sum, inverse));
    store<f64>(variance + o, varianceOf(sum, lastSquares(), inverse));
    coefficientRange(
      r,
      r + 1,
      mean,
      variance,
      1,
      0,
      0,
      1,
      1,
      eps,
      mode,
      meanHigh,
      meanLow,
      scale,
      offset,
    );
    const f = (<usize>r) << 2;
    applyLayerRow(
      x + row,
      y + row,
      len,
      load<f32>(meanHigh + f),
      load<f32>(meanLow + f),
      load<f32>(scale + f),
      gamma,
      beta,
    );
  }
}

/** RMSNorm over `rows` rows of `len` floats: Σx² per row to `squares` (float64), then y = x·scale·γ (γ optional). */
export function normalizeRms(
  x: usize,
  y: usize,
  rows: i32,
  len: i32,
  gamma: usize,
  eps: f64,
  mode: i32,
  squares: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const row = (<usize>r * <usize>len) << 2;
    sumShifted(x + row, len, 0);
    const total = lastSquares();
    store<f64>(squares + ((<usize>r) << 3), total);
    applyRmsRow(x + row, y + row, len, rmsScale(total, <f64>len, eps, mode), gamma);
  }
}
