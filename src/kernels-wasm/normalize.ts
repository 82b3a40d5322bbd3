// Fused normalization passes: each statistics set (or chunk of small sets) is reduced and then
// normalized right away, while its elements are still in cache, so memory is read once instead
// of twice whenever one set fits in the cache. The arithmetic is the same as the separate passes (moments.ts,
// coefficients.ts, apply.ts), which these functions call.

import { applyLayerRow, applyRmsRow, applyRunAt } from './apply';
import { coefficientRange, rmsScale } from './coefficients';
import { centeredSums, lastShift, lastSquares, meanOf, sumShifted, varianceOf } from './moments';

/**
 * Floats per chunk of statistics sets. Sets are reduced a chunk at a time, then the chunk's
 * coefficients are computed and its sets normalized: the chunk stays in the L1 cache, and the
 * sets of a chunk have no dependency on one another, so the latency of one set's reduction,
 * square root and division overlaps with the next set's loads instead of adding up per set.
 */
const CHUNK_FLOATS = 4096;

/** Statistics sets per chunk when each set has `floats` elements. */
function chunkSets(floats: i32): i32 {
  return floats >= CHUNK_FLOATS ? 1 : CHUNK_FLOATS / max<i32>(floats, 1);
}

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
  const chunk = chunkSets(a * c);
  for (let j0 = 0; j0 < b; j0 += chunk) {
    const j1 = min<i32>(j0 + chunk, b);
    for (let j = j0; j < j1; j++) {
      const sum = centeredSums(x, a, b, c, j, inverse);
      const o = (<usize>j) << 3;
      store<f64>(mean + o, meanOf(lastShift(), sum, inverse));
      store<f64>(variance + o, varianceOf(sum, lastSquares(), inverse));
    }
    coefficientRange(
      j0 * segments,
      j1 * segments,
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
      for (let j = j0; j < j1; j++) {
        const row = (<usize>(i * b + j) * <usize>c) << 2;
        const k0 = j * segments;
        for (let s = 0; s < segments; s++) {
          const at = row + ((<usize>(s * segmentLen)) << 2);
          applyRunAt(x + at, y + at, segmentLen, k0 + s, meanHigh, meanLow, scale, offset);
        }
      }
    }
  }
}

/**
 * LayerNorm over `rows` rows of `len` floats: per-row statistics (to `mean` and `variance`,
 * float64) and coefficients (to the first three float32 arrays; `offset` gets 0), then per-column
 * γ and β, given both or neither (0). Rows go in chunks, as in `normalizeChannels`.
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
  const chunk = chunkSets(len);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = min<i32>(r0 + chunk, rows);
    for (let r = r0; r < r1; r++) {
      const sum = centeredSums(x, 1, rows, len, r, inverse);
      const o = (<usize>r) << 3;
      store<f64>(mean + o, meanOf(lastShift(), sum, inverse));
      store<f64>(variance + o, varianceOf(sum, lastSquares(), inverse));
    }
    coefficientRange(
      r0,
      r1,
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
    for (let r = r0; r < r1; r++) {
      const row = (<usize>r * <usize>len) << 2;
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
}

/**
 * RMSNorm over `rows` rows of `len` floats: Σx² per row to `squares` (float64), then
 * y = x·scale·γ (γ optional). Rows go in chunks, as in `normalizeChannels`.
 */
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
  const chunk = chunkSets(len);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = min<i32>(r0 + chunk, rows);
    for (let r = r0; r < r1; r++) {
      sumShifted(x + ((<usize>r * <usize>len) << 2), len, 0);
      store<f64>(squares + ((<usize>r) << 3), lastSquares());
    }
    for (let r = r0; r < r1; r++) {
      const row = (<usize>r * <usize>len) << 2;
      const total = load<f64>(squares + ((<usize>r) << 3));
      applyRmsRow(x + row, y + row, len, rmsScale(total, <f64>len, eps, mode), gamma);
    }
  }
}
