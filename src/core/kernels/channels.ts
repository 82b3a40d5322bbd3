// Building blocks shared by the channel-wise norms (BatchNorm, InstanceNorm, GroupNorm).

import type { KernelContext } from './context';
import type { Frame } from './memory';
import type { ChannelSplit } from './shapes';

/** Pointers to the four coefficient arrays that the apply passes read. */
export interface Coefficients {
  readonly meanHigh: number;
  readonly meanLow: number;
  readonly scale: number;
  readonly offset: number;
}

/** Scratch space for `count` sets of coefficients. */
export function allocCoefficients(frame: Frame, count: number): Coefficients {
  return {
    meanHigh: frame.alloc(count, 4),
    meanLow: frame.alloc(count, 4),
    scale: frame.alloc(count, 4),
    offset: frame.alloc(count, 4),
  };
}

/** Float64 moments accumulators for `count` indices; after `finishMoments`, mean and variance. */
export interface Moments {
  readonly mean: number;
  readonly variance: number;
  readonly squares: number;
}

/** Scratch accumulators for `count` indices. */
export function allocMoments(frame: Frame, count: number): Moments {
  return {
    mean: frame.alloc(count, 8),
    variance: frame.alloc(count, 8),
    squares: frame.alloc(count, 8),
  };
}

/** Per-channel (BatchNorm) mean and biased variance over N and the spatial dims. */
export function channelMoments(
  context: KernelContext,
  x: number,
  split: ChannelSplit,
  m: Moments,
): void {
  const { n, c, s } = split;
  const [a, inner] = split.channelsLast ? [n * s, 1] : [n, s];
  context.wasm.accumulate(x, a, c, inner, m.mean, m.variance, m.squares, 1);
  context.wasm.finishMoments(c, n * s, m.mean, m.variance, m.squares);
}

/** How `normalizeChannels` sees a channels-first tensor: the block [a, b, c] and its segments. */
export interface ChannelSets {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly segments: number;
}

/** γ and β pointers (0 when absent) and how a coefficient index maps to them. */
export interface Affine {
  readonly gamma: number;
  readonly beta: number;
  readonly period: number;
  readonly div: number;
}

/**
 * Statistics and normalization in one fused pass per statistics set (channels-first layouts),
 * leaving means and variances in `m` and coefficients in `k`.
 */
export function normalizeSets(
  context: KernelContext,
  x: number,
  y: number,
  sets: ChannelSets,
  affine: Affine,
  eps: number,
  mode: number,
  m: Moments,
  k: Coefficients,
): void {
  context.wasm.normalizeChannels(
    x,
    y,
    sets.a,
    sets.b,
    sets.c,
    sets.segments,
    affine.gamma,
    affine.beta,
    affine.period,
    affine.div,
    eps,
    mode,
    m.mean,
    m.variance,
    k.meanHigh,
    k.meanLow,
    k.scale,
    k.offset,
  );
}

/**
 * Applies coefficients to every element. `perSample`: one coefficient set per (sample, channel)
 * (InstanceNorm, GroupNorm); otherwise one per channel (BatchNorm).
 */
export function applyChannels(
  context: KernelContext,
  x: number,
  y: number,
  split: ChannelSplit,
  k: Coefficients,
  perSample: boolean,
): void {
  const { n, c, s } = split;
  const { wasm } = context;
  if (!split.channelsLast && s > 1) {
    wasm.applyRows(x, y, n * c, s, perSample ? n * c : c, k.meanHigh, k.meanLow, k.scale, k.offset);
  } else if (perSample) {
    wasm.applyColumns(x, y, n, s, c, k.meanHigh, k.meanLow, k.scale, k.offset);
  } else {
    // Channels-last, or a single spatial element: rows of C with per-column coefficients.
    wasm.applyColumns(x, y, 1, n * s, c, k.meanHigh, k.meanLow, k.scale, k.offset);
  }
}

/** Pointer to γ or β in kernel memory, or 0 when absent (the module then uses 1 or 0). */
export function optionalParameter(frame: Frame, values: Float32Array | undefined): number {
  return values ? frame.place(values) : 0;
}
