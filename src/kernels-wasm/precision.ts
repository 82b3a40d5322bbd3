// Rounding to the storage formats the panel can emulate. Modes: 0 = fp32 (no rounding),
// 1 = IEEE binary16, 2 = bfloat16. All rounding is round-to-nearest-even, as hardware casts do.

/** Rounds an f32 value to the nearest binary16 value (returned as f32). */
function roundHalf(v: f32): f32 {
  const a = abs<f32>(v);
  // NaN and infinities pass through; values past the rounding midpoint of 65504 become infinite.
  if (!(a < Infinity)) return v;
  if (a >= 65520) return copysign<f32>(Infinity, v);
  // Below the smallest normal the quantum is fixed at 2^-24 (subnormals); above it, it is
  // 2^(e-10) for the value's binary exponent e. Both divisions are exact in f64.
  let quantum: f64 = 5.9604644775390625e-8;
  if (a >= 6.103515625e-5) {
    const e = <i64>((reinterpret<u32>(a) >> 23) & 0xff) - 127;
    quantum = reinterpret<f64>((<u64>(e - 10 + 1023)) << 52);
  }
  return <f32>copysign<f64>(nearest<f64>(<f64>a / quantum) * quantum, <f64>v);
}

/** Rounds an f32 value to the nearest bfloat16 value (returned as f32). */
function roundBrain(v: f32): f32 {
  if (isNaN<f32>(v)) return v;
  const bits = reinterpret<u32>(v);
  return reinterpret<f32>((bits + 0x7fff + ((bits >> 16) & 1)) & 0xffff0000);
}

/** Rounds one value to the storage format `mode`. */
export function roundTo(v: f64, mode: i32): f64 {
  const f = <f32>v;
  if (mode == 1) return <f64>roundHalf(f);
  if (mode == 2) return <f64>roundBrain(f);
  return <f64>f;
}

/** Copies `n` floats from `src` to `dst` (which may be the same), rounding each to `mode`. */
export function roundArray(src: usize, dst: usize, n: i32, mode: i32): void {
  for (let i = 0; i < n; i++) {
    const p = (<usize>i) << 2;
    store<f32>(dst + p, <f32>roundTo(<f64>load<f32>(src + p), mode));
  }
}
