// The read/write passes. All arithmetic is float32 SIMD; the coefficients come from
// coefficients.ts. Scalar tails repeat the exact same float32 operations as the vector bodies.

/** y = ((x − h) − l)·a + b over `len` contiguous floats: one run with one coefficient set. */
export function applyRun(src: usize, dst: usize, len: i32, h: f32, l: f32, a: f32, b: f32): void {
  const hv = f32x4.splat(h);
  const lv = f32x4.splat(l);
  const av = f32x4.splat(a);
  const bv = f32x4.splat(b);
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    const p = (<usize>i) << 2;
    const v0 = f32x4.sub(f32x4.sub(v128.load(src + p), hv), lv);
    const v1 = f32x4.sub(f32x4.sub(v128.load(src + p, 16), hv), lv);
    v128.store(dst + p, f32x4.add(f32x4.mul(v0, av), bv));
    v128.store(dst + p, f32x4.add(f32x4.mul(v1, av), bv), 16);
  }
  // Runs of 4k + 4 floats (14 × 14 = 196) end with one vector rather than four scalar steps.
  if (i + 4 <= len) {
    const p = (<usize>i) << 2;
    const v = f32x4.sub(f32x4.sub(v128.load(src + p), hv), lv);
    v128.store(dst + p, f32x4.add(f32x4.mul(v, av), bv));
    i += 4;
  }
  for (; i < len; i++) {
    const p = (<usize>i) << 2;
    store<f32>(dst + p, (load<f32>(src + p) - h - l) * a + b);
  }
}

/** `applyRun` with the coefficient set at index `k` of the four coefficient arrays. */
export function applyRunAt(
  src: usize,
  dst: usize,
  len: i32,
  k: i32,
  meanHigh: usize,
  meanLow: usize,
  scale: usize,
  offset: usize,
): void {
  const o = (<usize>k) << 2;
  applyRun(
    src,
    dst,
    len,
    load<f32>(meanHigh + o),
    load<f32>(meanLow + o),
    load<f32>(scale + o),
    load<f32>(offset + o),
  );
}

/**
 * Rows of `len` contiguous floats, each with its own coefficients at index row % period
 * (BatchNorm NCHW: period C; InstanceNorm and GroupNorm NCHW: one per row).
 */
export function applyRows(
  x: usize,
  y: usize,
  rows: i32,
  len: i32,
  period: i32,
  meanHigh: usize,
  meanLow: usize,
  scale: usize,
  offset: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>len) << 2;
    applyRunAt(x + base, y + base, len, r % period, meanHigh, meanLow, scale, offset);
  }
}

/**
 * `blocks` × `rows` rows of `len` floats where the coefficients vary along the row: index
 * block·len + j (BatchNorm NHWC: one block; InstanceNorm and GroupNorm NHWC: one block per sample).
 */
export function applyColumns(
  x: usize,
  y: usize,
  blocks: i32,
  rows: i32,
  len: i32,
  meanHigh: usize,
  meanLow: usize,
  scale: usize,
  offset: usize,
): void {
  for (let blk = 0; blk < blocks; blk++) {
    const c = (<usize>blk * <usize>len) << 2;
    for (let r = 0; r < rows; r++) {
      const base = (<usize>(blk * rows + r) * <usize>len) << 2;
      let j = 0;
      for (; j + 4 <= len; j += 4) {
        const p = (<usize>j) << 2;
        const k = c + p;
        const d = f32x4.sub(
          f32x4.sub(v128.load(x + base + p), v128.load(meanHigh + k)),
          v128.load(meanLow + k),
        );
        v128.store(
          y + base + p,
          f32x4.add(f32x4.mul(d, v128.load(scale + k)), v128.load(offset + k)),
        );
      }
      for (; j < len; j++) {
        const p = (<usize>j) << 2;
        const k = c + p;
        const d = load<f32>(x + base + p) - load<f32>(meanHigh + k) - load<f32>(meanLow + k);
        store<f32>(y + base + p, d * load<f32>(scale + k) + load<f32>(offset + k));
      }
    }
  }
}

/**
 * One LayerNorm row: y_j = ((x_j − h) − l)·a·γ_j + β_j. Both γ and β are given, or neither
 * (pointers 0), in which case this is `applyRun` with b = 0.
 */
export function applyLayerRow(
  src: usize,
  dst: usize,
  len: i32,
  h: f32,
  l: f32,
  a: f32,
  gamma: usize,
  beta: usize,
): void {
  if (gamma == 0) {
    applyRun(src, dst, len, h, l, a, 0);
    return;
  }
  const hv = f32x4.splat(h);
  const lv = f32x4.splat(l);
  const av = f32x4.splat(a);
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const p = (<usize>j) << 2;
    const d = f32x4.mul(f32x4.sub(f32x4.sub(v128.load(src + p), hv), lv), av);
    v128.store(dst + p, f32x4.add(f32x4.mul(d, v128.load(gamma + p)), v128.load(beta + p)));
  }
  for (; j < len; j++) {
    const p = (<usize>j) << 2;
    const d = (load<f32>(src + p) - h - l) * a;
    store<f32>(dst + p, d * load<f32>(gamma + p) + load<f32>(beta + p));
  }
}

/** One RMSNorm row: y_j = (x_j·a)·γ_j, or x_j·a when `gamma` is 0. */
export function applyRmsRow(src: usize, dst: usize, len: i32, a: f32, gamma: usize): void {
  const av = f32x4.splat(a);
  let j = 0;
  if (gamma == 0) {
    for (; j + 8 <= len; j += 8) {
      const p = (<usize>j) << 2;
      v128.store(dst + p, f32x4.mul(v128.load(src + p), av));
      v128.store(dst + p, f32x4.mul(v128.load(src + p, 16), av), 16);
    }
    for (; j < len; j++) {
      const p = (<usize>j) << 2;
      store<f32>(dst + p, load<f32>(src + p) * a);
    }
    return;
  }
  for (; j + 4 <= len; j += 4) {
    const p = (<usize>j) << 2;
    v128.store(dst + p, f32x4.mul(f32x4.mul(v128.load(src + p), av), v128.load(gamma + p)));
  }
  for (; j < len; j++) {
    const p = (<usize>j) << 2;
    store<f32>(dst + p, load<f32>(src + p) * a * load<f32>(gamma + p));
  }
}
