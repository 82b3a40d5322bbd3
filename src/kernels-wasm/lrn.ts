// Local response normalization across a channel axis of length C with stride `inner`:
// y = x / (k + alpha·Σ_window x²)^beta. The window of channel c is [c − before, c + after],
// clipped to the tensor; the conventions (PyTorch/ONNX vs TF) differ only in `before`, `after` and
// whether alpha is divided by the size, which the caller resolves.

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
  const stride = (<usize>inner) << 2;
  for (let o = 0; o < outer; o++) {
    const plane = x + ((<usize>o * <usize>channels * <usize>inner) << 2);
    const out = y + ((<usize>o * <usize>channels * <usize>inner) << 2);
    for (let c = 0; c < channels; c++) {
      const lo = max<i32>(0, c - before);
      const hi = min<i32>(channels - 1, c + after);
      for (let s = 0; s < inner; s++) {
        const column = plane + ((<usize>s) << 2);
        let sum: f64 = 0;
        for (let w = lo; w <= hi; w++) {
          const v = <f64>load<f32>(column + <usize>w * stride);
          sum += v * v;
        }
        const v = <f64>load<f32>(column + <usize>c * stride);
        store<f32>(
          out + <usize>c * stride + ((<usize>s) << 2),
          <f32>(v / Math.pow(k + alpha * sum, beta)),
        );
      }
    }
  }
}
