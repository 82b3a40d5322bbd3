// The read/write passes. All arithmetic is float32 SIMD; the coefficients come from
// coefficients.ts. Scalar tails repeat the exact same float32 operations as the vector bodies.

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
    const k = (<usize>(r % period)) << 2;
    const h = load<f32>(meanHigh + k);
    const l = load<f32>(meanLow + k);
    const a = load<f32>(scale + k);
    const b = load<f32>(offset + k);
    const hv = f32x4.splat(h);
    const lv = f32x4.splat(l);
    const av = f32x4.splat(a);
    const bv = f32x4.splat(b);
    const base = <usize>r * <usize>len;
    const src = x + (base << 2);
    const dst = y + (base << 2);
    let i = 0;
    for (; i + 8 <= len; i += 8) {
      const p = (<usize>i) << 2;
      const v0 = f32x4.sub(f32x4.sub(v128.load(src + p), hv), lv);
      const v1 = f32x4.sub(f32x4.sub(v128.load(src + p, 16), hv), lv);
      v128.store(dst + p, f32x4.add(f32x4.mul(v0, av), bv));
      v128.store(dst + p, f32x4.add(f32x4.mul(v1, av), bv), 16);
    }
    for (; i < len; i++) {
      const p = (<usize>i) << 2;
      store<f32>(dst + p, (load<f32>(src + p) - h - l) * a + b);
    }
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
 * LayerNorm: per-row statistics (meanHigh, meanLow, scale = 1/std) and per-column γ and β.
 * The caller passes ones and zeros when the layer has no affine parameters.
 */
export function applyLayer(
  x: usize,
  y: usize,
  rows: i32,
  len: i32,
  meanHigh: usize,
  meanLow: usize,
  scale: usize,
  gamma: usize,
  beta: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const k = (<usize>r) << 2;
    const h = load<f32>(meanHigh + k);
    const l = load<f32>(meanLow + k);
    const a = load<f32>(scale + k);
    const hv = f32x4.splat(h);
    const lv = f32x4.splat(l);
    const av = f32x4.splat(a);
    const base = (<usize>r * <usize>len) << 2;
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const p = (<usize>j) << 2;
      const d = f32x4.mul(f32x4.sub(f32x4.sub(v128.load(x + base + p), hv), lv), av);
      v128.store(y + base + p, f32x4.add(f32x4.mul(d, v128.load(gamma + p)), v128.load(beta + p)));
    }
    for (; j < len; j++) {
      const p = (<usize>j) << 2;
      const d = (load<f32>(x + base + p) - h - l) * a;
      store<f32>(y + base + p, d * load<f32>(gamma + p) + load<f32>(beta + p));
    }
  }
}

/** RMSNorm: y = (x·scale_row)·γ_j; the caller passes ones when there is no γ. */
export function applyRms(
  x: usize,
  y: usize,
  rows: i32,
  len: i32,
  scale: usize,
  gamma: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const a = load<f32>(scale + ((<usize>r) << 2));
    const av = f32x4.splat(a);
    const base = (<usize>r * <usize>len) << 2;
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const p = (<usize>j) << 2;
      v128.store(
        y + base + p,
        f32x4.mul(f32x4.mul(v128.load(x + base + p), av), v128.load(gamma + p)),
      );
    }
    for (; j < len; j++) {
      const p = (<usize>j) << 2;
      store<f32>(y + base + p, load<f32>(x + base + p) * a * load<f32>(gamma + p));
    }
  }
}
