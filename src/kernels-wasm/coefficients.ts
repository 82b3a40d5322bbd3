// Per-index coefficients: turn (mean, variance, eps, γ, β) into the constants the apply passes use,
// y = ((x − meanHigh) − meanLow)·scale + offset. Splitting the float64 mean into two floats keeps
// x − mean exact when x is close to the mean, so a large mean does not cost output precision.

import { roundTo } from './precision';

/**
 * Coefficients for `n` indices. Index i reads its statistics at i / statDiv, and its affine
 * parameters at (i % affinePeriod) / affineDiv; `gamma` or `beta` = 0 means 1 or 0. With a
 * storage `mode` (see precision.ts) the mean, variance and eps are rounded and var + eps is added
 * in that format, as a low-precision model would.
 */
export function coefficients(
  n: i32,
  mean: usize,
  variance: usize,
  statDiv: i32,
  gamma: usize,
  beta: usize,
  affinePeriod: i32,
  affineDiv: i32,
  eps: f64,
  mode: i32,
  meanHigh: usize,
  meanLow: usize,
  scale: usize,
  offset: usize,
): void {
  coefficientRange(
    0,
    n,
    mean,
    variance,
    statDiv,
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
}

/** `coefficients` for the indices first ≤ i < end only (the fused passes, a chunk at a time). */
export function coefficientRange(
  first: i32,
  end: i32,
  mean: usize,
  variance: usize,
  statDiv: i32,
  gamma: usize,
  beta: usize,
  affinePeriod: i32,
  affineDiv: i32,
  eps: f64,
  mode: i32,
  meanHigh: usize,
  meanLow: usize,
  scale: usize,
  offset: usize,
): void {
  if (first >= end) return;
  const lowEps = roundTo(eps, mode);
  const affine = gamma != 0 || beta != 0;
  // Running indices stand in for i / statDiv and (i % affinePeriod) / affineDiv: an integer
  // division costs more than the rest of one index's work.
  let stat = first / statDiv;
  let statPart = first % statDiv;
  let channel = first % affinePeriod;
  let param = channel / affineDiv;
  let paramPart = channel % affineDiv;
  for (let i = first; i < end; i++) {
    const s = (<usize>stat) << 3;
    let m = load<f64>(mean + s);
    let v = load<f64>(variance + s);
    let denominator = v + eps;
    if (mode != 0) {
      m = roundTo(m, mode);
      v = roundTo(v, mode);
      denominator = roundTo(v + lowEps, mode);
    }
    const inverse = 1 / Math.sqrt(denominator);
    let g: f64 = 1;
    let b: f32 = 0;
    if (affine) {
      const a = (<usize>param) << 2;
      if (gamma != 0) g = <f64>load<f32>(gamma + a);
      if (beta != 0) b = load<f32>(beta + a);
    }
    const high = <f32>m;
    const o = (<usize>i) << 2;
    store<f32>(meanHigh + o, high);
    store<f32>(meanLow + o, <f32>(m - <f64>high));
    store<f32>(scale + o, <f32>(g * inverse));
    store<f32>(offset + o, b);
    if (++statPart == statDiv) {
      statPart = 0;
      stat++;
    }
    if (++paramPart == affineDiv) {
      paramPart = 0;
      param++;
    }
    if (++channel == affinePeriod) {
      channel = 0;
      param = 0;
      paramPart = 0;
    }
  }
}

/** RMSNorm scale 1/sqrt(Σx²/count + eps), with eps added in the storage format `mode`. */
export function rmsScale(squares: f64, count: f64, eps: f64, mode: i32): f32 {
  const meanSquare = squares / count;
  const denominator =
    mode == 0 ? meanSquare + eps : roundTo(roundTo(meanSquare, mode) + roundTo(eps, mode), mode);
  return <f32>(1 / Math.sqrt(denominator));
}

/**
 * Running-statistics update for BatchNorm training: new = (1 − w)·old + w·batch, where `w` is the
 * weight of the new batch (PyTorch's momentum; 1 − momentum for ONNX and tfjs). With `bessel` the
 * batch variance over `count` elements is made unbiased first, as PyTorch does.
 */
export function runningUpdate(
  n: i32,
  mean: usize,
  variance: usize,
  count: f64,
  runningMean: usize,
  runningVar: usize,
  weight: f64,
  bessel: i32,
): void {
  const correction = bessel != 0 ? count / (count - 1) : 1;
  for (let i = 0; i < n; i++) {
    const s = (<usize>i) << 3;
    const f = (<usize>i) << 2;
    const oldMean = <f64>load<f32>(runningMean + f);
    const oldVar = <f64>load<f32>(runningVar + f);
    const batchVar = load<f64>(variance + s) * correction;
    store<f32>(runningMean + f, <f32>((1 - weight) * oldMean + weight * load<f64>(mean + s)));
    store<f32>(runningVar + f, <f32>((1 - weight) * oldVar + weight * batchVar));
  }
}
