/**
 * IEEE binary16 facts the epsilon rules need: where fp16 stops being normal, where it rounds to
 * zero, and what a given epsilon becomes when stored in it.
 */

/** Smallest positive normal fp16 value, 2⁻¹⁴ ≈ 6.10e-5; smaller values lose precision. */
export const FP16_SMALLEST_NORMAL = 2 ** -14;

/** Smallest positive subnormal fp16 value, 2⁻²⁴ ≈ 5.96e-8. */
export const FP16_SMALLEST_SUBNORMAL = 2 ** -24;

/** Values at or below half the smallest subnormal, 2⁻²⁵ ≈ 2.98e-8, round to 0 in fp16. */
export const FP16_ZERO_BELOW = 2 ** -25;

/** Largest finite fp16 value. */
export const FP16_MAX = 65504;

/** How an fp16 value is represented. */
export type Fp16Class = 'zero' | 'subnormal' | 'normal' | 'infinite';

/**
 * `value` rounded to the nearest fp16 (ties to even), returned as a number. Subnormals are kept
 * (no flush-to-zero); values beyond the largest finite fp16 become ±Infinity.
 */
export function roundToFp16(value: number): number {
  if (!Number.isFinite(value) || value === 0) {
    return value;
  }
  const magnitude = Math.abs(value);
  if (magnitude >= FP16_MAX + 2 ** 4) {
    return Math.sign(value) * Infinity;
  }
  // The spacing of fp16 values around `magnitude`: 2^(exponent − 10), never below the subnormal step.
  const exponent = Math.max(Math.floor(Math.log2(magnitude)), -14);
  const step = 2 ** (exponent - 10);
  const scaled = magnitude / step;
  const floor = Math.floor(scaled);
  const remainder = scaled - floor;
  const rounded = remainder > 0.5 || (remainder === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return Math.sign(value) * rounded * step;
}

/** Whether `value` is zero, subnormal, normal or infinite once stored as fp16. */
export function fp16Class(value: number): Fp16Class {
  const stored = Math.abs(roundToFp16(value));
  if (stored === 0) {
    return 'zero';
  }
  if (!Number.isFinite(stored)) {
    return 'infinite';
  }
  return stored < FP16_SMALLEST_NORMAL ? 'subnormal' : 'normal';
}
