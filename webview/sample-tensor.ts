/**
 * A reproducible sample tensor in NCHW with per-channel and per-sample offsets and scales, so the
 * panel can show what a normalization removes (the offsets) and what it keeps.
 */
import type { Tensor } from '../src/core/index';

/** Shape of the sample, NCHW. */
export interface SampleShape {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/** Deterministic values: channel c has mean ≈ 2c − C/2 + sample offset and std ≈ 0.5 + c/4. */
export function sampleTensor(shape: SampleShape, seed = 1): Tensor {
  const { batch, channels, height, width } = shape;
  const random = mulberry32(seed);
  const data = new Float32Array(batch * channels * height * width);
  let i = 0;
  for (let n = 0; n < batch; n++) {
    const sampleOffset = random() - 0.5;
    for (let c = 0; c < channels; c++) {
      const mean = 2 * c - channels / 2 + sampleOffset;
      const std = 0.5 + c / 4;
      for (let p = 0; p < height * width; p++) {
        data[i++] = mean + std * gaussian(random);
      }
    }
  }
  return { data, shape: [batch, channels, height, width] };
}

/** A small, fast, seedable PRNG (Mulberry32), uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller). */
function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
