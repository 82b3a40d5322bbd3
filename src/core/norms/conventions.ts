/**
 * Cross-framework conventions for running statistics. They are the most common source of silent
 * conversion bugs: PyTorch's `momentum=0.1` means the same as Keras' `momentum=0.9`, and PyTorch
 * feeds the unbiased batch variance into `running_var` while tfjs and ONNX feed the biased one.
 */
import type { Framework } from '../model';

/** Which value a running-statistics momentum weights. */
export type MomentumConvention = 'pytorch' | 'keras';

/** Which batch variance a framework feeds into its running variance. */
export type VarianceConvention = 'unbiased' | 'biased';

/** The momentum convention of each framework (ONNX follows Keras). */
export const MOMENTUM_CONVENTION: Readonly<Record<Framework, MomentumConvention>> = {
  pytorch: 'pytorch',
  tfjs: 'keras',
  onnx: 'keras',
};

/** The variance each framework feeds into its running variance during training. */
export const RUNNING_VAR_CONVENTION: Readonly<Record<Framework, VarianceConvention>> = {
  pytorch: 'unbiased',
  tfjs: 'biased',
  onnx: 'biased',
};

/** The update rule of each momentum convention, as shown to users. */
export const MOMENTUM_FORMULA: Readonly<Record<MomentumConvention, string>> = {
  pytorch: 'running ← (1 − momentum)·running + momentum·batch   (momentum weights the new batch)',
  keras: 'running ← momentum·running + (1 − momentum)·batch   (momentum weights the old value)',
};

/**
 * Converts a momentum between the two conventions: `1 − value` across, unchanged within one.
 * The result is rounded to 15 significant digits so that decimal input gives decimal output
 * (0.99 → 0.01, not 0.010000000000000009).
 */
export function convertMomentum(
  value: number,
  from: MomentumConvention,
  to: MomentumConvention,
): number {
  if (from === to) {
    return value;
  }
  return Number((1 - value).toPrecision(15));
}

/**
 * Converts a variance computed over `count` values between the unbiased (÷ (n − 1)) and biased
 * (÷ n) estimators. The unbiased estimate of a single value is undefined, so count 1 gives NaN
 * from biased → unbiased, as PyTorch's `var()` does.
 */
export function convertVariance(
  value: number,
  count: number,
  from: VarianceConvention,
  to: VarianceConvention,
): number {
  if (from === to) {
    return value;
  }
  return from === 'unbiased' ? (value * (count - 1)) / count : (value * count) / (count - 1);
}
