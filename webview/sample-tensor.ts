/**
 * A reproducible sample tensor in NCHW with per-channel and per-sample offsets and scales, so the
 * panel can show what a normalization removes and what it keeps. The standard-normal noise is
 * drawn once per size and seed; changing an offset or a scale only re-applies them.
 */
import type { Tensor } from '../src/core/index';
import type { PanelSettings } from './settings';

/**
 * Shape of the sample: NCHW, or with `channelsLast` N × (H·W) × C, which is N×L×D for a sequence
 * (height = L, width = 1, channels = D).
 */
export interface SampleShape {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly channelsLast?: boolean;
}

/** How the sample's channels and samples differ. */
export interface Generator {
  /** Channel c has mean channelOffset · (c − (C − 1)/2). */
  readonly channelOffset: number;
  /** Channel c has std 1 + channelScale · c/(C − 1). */
  readonly channelScale: number;
  /** Sample n is shifted by sampleOffset · a standard normal draw. */
  readonly sampleOffset: number;
  /** Sample n is scaled by exp(sampleScale · a standard normal draw). */
  readonly sampleScale: number;
  /** Channel 0 holds the same value in every sample and position (zero variance). */
  readonly constantChannel: boolean;
}

let noiseCache: { key: string; values: Float32Array } | undefined;

/** Writes the sample into `out` (length N·C·H·W). */
export function fillSample(
  out: Float32Array,
  shape: SampleShape,
  generator: Generator,
  seed = 1,
  cache = true,
): void {
  const { batch, channels, height, width } = shape;
  const plane = height * width;
  const noise = standardNormals(batch * channels * plane + 2 * batch, seed, cache);
  const spread = channels > 1 ? channels - 1 : 1;
  // Element (n, c, p) sits at ((n·C + c)·P + p) channels-first, at ((n·P + p)·C + c) channels-last.
  const [channelStride, positionStride] = shape.channelsLast ? [1, channels] : [plane, 1];
  for (let n = 0; n < batch; n++) {
    const shift = generator.sampleOffset * (noise[noise.length - 1 - n] ?? 0);
    const scale = Math.exp(generator.sampleScale * (noise[noise.length - 1 - batch - n] ?? 0));
    for (let c = 0; c < channels; c++) {
      const offset = generator.channelOffset * (c - (channels - 1) / 2);
      // A constant channel ignores the per-sample shift and scale too: zero variance for every method.
      const constant = generator.constantChannel && c === 0;
      const mean = constant ? offset : scale * (offset + shift);
      const std = constant ? 0 : scale * (1 + (generator.channelScale * c) / spread);
      const first = n * channels * plane + c * channelStride;
      for (let p = 0; p < plane; p++) {
        const i = first + p * positionStride;
        out[i] = mean + std * (noise[i] ?? 0);
      }
    }
  }
}

/** A new sample tensor (for small batches such as the noise simulation's). */
export function sampleTensor(shape: SampleShape, generator: Generator, seed = 1): Tensor {
  const data = new Float32Array(shape.batch * shape.channels * shape.height * shape.width);
  fillSample(data, shape, generator, seed, false);
  const dims = shape.channelsLast
    ? [shape.batch, shape.height * shape.width, shape.channels]
    : [shape.batch, shape.channels, shape.height, shape.width];
  return { data, shape: dims };
}

/** `count` standard normal draws for `seed`; with `cache`, kept for the next identical request. */
function standardNormals(count: number, seed: number, cache: boolean): Float32Array {
  const key = `${count}:${seed}`;
  if (noiseCache?.key === key) {
    return noiseCache.values;
  }
  const values = new Float32Array(count);
  const random = mulberry32(seed);
  // Box–Muller gives two independent normals per pair of uniforms; both are used.
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(Math.max(random(), Number.MIN_VALUE)));
    const angle = 2 * Math.PI * random();
    values[i] = radius * Math.cos(angle);
    if (i + 1 < count) {
      values[i + 1] = radius * Math.sin(angle);
    }
  }
  if (cache) {
    noiseCache = { key, values };
  }
  return values;
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

/** The sample shape of `settings`: NCHW, or N×L×D as channels-last with D channels. */
export function sampleShapeOf(settings: PanelSettings): SampleShape {
  return settings.layout === 'nld'
    ? {
        batch: settings.batch,
        channels: settings.features,
        height: settings.length,
        width: 1,
        channelsLast: true,
      }
    : settings;
}
