// Local response normalization across a channel axis of length C with stride `inner`:
// y = x / (k + alpha·Σ_window x²)^beta. The window of channel c is [c − before, c + after],
// clipped to the tensor; the conventions (PyTorch/ONNX vs TF) differ only in `before`, `after` and
// whether alpha is divided by the size, which the caller resolves.
//
// Four neighbouring positions along `inner` are computed at once, in float64 lanes. The power is
// the costly part: the common exponents (0.5, 0.75, 1) use square roots, others Math.pow.

/** base^beta on both lanes; `kind` is 1 for beta = 0.5, 2 for 0.75, 3 for 1, 0 otherwise. */
function power(base: v128, beta: f64, kind: i32): v128 {
  if (kind == 1) return f64x2.sqrt(base);
  if (kind == 2) {
    const root = f64x2.sqrt(base);
    return f64x2.mul(root, f64x2.sqrt(root));
  }
  if (kind == 3) return base;
  const low = Math.pow(f64x2.extract_lane(base, 0), beta);
  return f64x2.replace_lane(f64x2.splat(low), 1, Math.pow(f64x2.extract_lane(base, 1), beta));
}

/** The scalar form of `power`, for the tail. */
function powerOne(base: f64, beta: f64, kind: i32): f64 {
  if (kind == 1) return Math.sqrt(base);
  if (kind == 2) return Math.sqrt(base) * Math.sqrt(Math.sqrt(base));
  if (kind == 3) return base;
  return Math.pow(base, beta);
}

/** LRN over `outer` × C × `inner` floats; the squared sums accumulate in float64. */
export function lrn(
  x: usize,
  y: usize,
  outer: i32,
  channels: i32,
  inner: i32,
  before: i32,
  after: i32,
  alpha: f64,
  beta: f64,
  k: f64,
): void {
  const kind = beta == 0.5 ? 1 : beta == 0.75 ? 2 : beta == 1 ? 3 : 0;
  const stride = (<usize>inner) << 2;
  const kv = f64x2.splat(k);
  const av = f64x2.splat(alpha);
  for (let o = 0; o < outer; o++) {
    const plane = x + ((<usize>o * <usize>channels * <usize>inner) << 2);
    const out = y + ((<usize>o * <usize>channels * <usize>inner) << 2);
    for (let c = 0; c < channels; c++) {
      const lo = max<i32>(0, c - before);
      const hi = min<i32>(channels - 1, c + after);
      const row = <usize>c * stride;
      let s = 0;
      for (; s + 4 <= inner; s += 4) {
        const column = plane + ((<usize>s) << 2);
        let sumLow = f64x2.splat(0);
        let sumHigh = sumLow;
        for (let w = lo; w <= hi; w++) {
          const v = v128.load(column + <usize>w * stride);
          const vLow = f64x2.promote_low_f32x4(v);
          const vHigh = f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
          sumLow = f64x2.add(sumLow, f64x2.mul(vLow, vLow));
          sumHigh = f64x2.add(sumHigh, f64x2.mul(vHigh, vHigh));
        }
        const v = v128.load(column + row);
        const low = f64x2.div(
          f64x2.promote_low_f32x4(v),
          power(f64x2.add(kv, f64x2.mul(av, sumLow)), beta, kind),
        );
        const high = f64x2.div(
          f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)),
          power(f64x2.add(kv, f64x2.mul(av, sumHigh)), beta, kind),
        );
        const packed = i64x2.shuffle(
          f32x4.demote_f64x2_zero(low),
          f32x4.demote_f64x2_zero(high),
          0,
          2,
        );
        v128.store(out + row + ((<usize>s) << 2), packed);
      }
      for (; s < inner; s++) {
        const column = plane + ((<usize>s) << 2);
        let sum: f64 = 0;
        for (let w = lo; w <= hi; w++) {
          const v = <f64>load<f32>(column + <usize>w * stride);
          sum += v * v;
        }
        const v = <f64>load<f32>(column + row);
        store<f32>(out + row + ((<usize>s) << 2), <f32>(v / powerOne(k + alpha * sum, beta, kind)));
      }
    }
  }
}
