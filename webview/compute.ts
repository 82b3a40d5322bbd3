/**
 * One update of the panel: the sample tensor, the chosen method and the statistics before and
 * after, all through the core kernels. Tensors live in kernel memory and are reused across
 * updates, so changing a control allocates nothing large and copies nothing into WebAssembly.
 * The input's statistics are kept while the sample stays the same, so a change of method, eps or
 * affine parameters only normalizes and measures the output. Results are plain data (no tensors),
 * so the engine can run in a worker and post them to the page.
 */
import type { Histogram, Kernels, Precision, Tensor, WasmTensor } from '../src/core/index';
import { runMethod, trainRunningStats, type RunningStats } from './methods';
import { simulateNoise, type NoiseSimulation } from './noise-simulation';
import { fillSample, sampleShapeOf, sampleTensor } from './sample-tensor';
import { tensorLayout, type PanelSettings } from './settings';

/** Mean and standard deviation per channel (or feature) and per sample. */
export interface Moments {
  readonly channelMean: Float64Array;
  readonly channelStd: Float64Array;
  readonly sampleMean: Float64Array;
  readonly sampleStd: Float64Array;
}

/** Everything one update shows. */
export interface Computation {
  /** The sample's shape: [N, C, H, W] or [N, L, D]. */
  readonly shape: readonly number[];
  readonly before: Moments;
  readonly after: Moments;
  readonly histogramBefore: Histogram;
  readonly histogramAfter: Histogram;
  readonly running: RunningStats;
  /** Milliseconds spent generating the sample (0 when it was reused). */
  readonly generateMs: number;
  /** Milliseconds in the method's kernel and the statistics. */
  readonly kernelMs: number;
}

/** What the idle-time views show: the precision table and the batch-size noise. */
export interface SlowComputation {
  readonly precisions: readonly PrecisionRow[];
  readonly noise: NoiseSimulation;
  /** Milliseconds both took. */
  readonly ms: number;
}

/** One precision's result for the same input and settings. */
export interface PrecisionRow {
  readonly precision: Precision;
  /** eps as stored in that format. */
  readonly storedEps: number;
  readonly nanCount: number;
  readonly infCount: number;
  /** Largest |y − y_fp32| over the finite outputs. */
  readonly maxError: number;
}

const HISTOGRAM_BINS = 48;
const PRECISIONS: readonly Precision[] = ['fp32', 'fp16', 'bf16'];
/** Batches the running statistics are trained on: same distribution, other seeds, small planes. */
const WARMUP_BATCHES = 4;
const WARMUP_PLANE = 8;

/** Owns the kernel-memory tensors and caches between updates. */
export class Engine {
  private x: WasmTensor | undefined;
  private y: WasmTensor | undefined;
  private scratch: WasmTensor | undefined;
  private sampleKey = '';
  private runningKey = '';
  private running: RunningStats = { mean: new Float32Array(), variance: new Float32Array() };
  /** The input's statistics, for the sample of `sampleKey`. */
  private input: { before: Moments; histogram: Histogram } | undefined;
  /** The settings `y` was computed for. */
  private outputKey = '';
  private noiseKey = '';
  private noise: NoiseSimulation | undefined;

  constructor(private readonly kernels: Kernels) {}

  /** Recomputes for `settings`. */
  update(settings: PanelSettings): Computation {
    const { kernels } = this;
    const layout = tensorLayout(settings);
    const generateStarted = performance.now();
    const x = this.ensureSample(settings, layout.shape);
    const generateMs = performance.now() - generateStarted;
    const started = performance.now();
    const running = this.runningStats(settings);
    this.y = reuse(kernels, this.y, layout.shape);
    const y = runMethod(kernels, x, settings, this.y, running);
    this.outputKey = JSON.stringify(settings);
    this.input ??= {
      before: moments(kernels, x, settings),
      histogram: kernels.histogram(x, { bins: HISTOGRAM_BINS }),
    };
    const result = {
      shape: layout.shape,
      before: this.input.before,
      after: moments(kernels, y, settings),
      histogramBefore: this.input.histogram,
      histogramAfter: kernels.histogram(y, { bins: HISTOGRAM_BINS }),
      running,
      generateMs,
    };
    return { ...result, kernelMs: performance.now() - started };
  }

  /** The precision table and the batch-size noise for `settings`. */
  slow(settings: PanelSettings): SlowComputation {
    const started = performance.now();
    if (this.outputKey !== JSON.stringify(settings)) {
      this.update(settings);
    }
    const precisions = this.y ? this.precisions(settings, this.y) : [];
    return { precisions, noise: this.noiseSimulation(settings), ms: performance.now() - started };
  }

  /** The same method in fp32, fp16 and bf16 on the current sample. */
  private precisions(settings: PanelSettings, reference: Tensor): PrecisionRow[] {
    const { kernels } = this;
    const x = this.x;
    if (!x) {
      return [];
    }
    this.scratch = reuse(kernels, this.scratch, x.shape);
    const scratch = this.scratch;
    return PRECISIONS.map((precision) => {
      const y =
        precision === 'fp32'
          ? reference
          : runMethod(kernels, x, settings, scratch, this.running, precision);
      const summary = kernels.summarize(y);
      const storedEps =
        kernels.roundToPrecision({ data: Float32Array.of(settings.eps), shape: [1] }, precision)
          .data[0] ?? Number.NaN;
      return {
        precision,
        storedEps,
        nanCount: summary.nanCount,
        infCount: summary.posInfCount + summary.negInfCount,
        maxError: maxAbsDifference(y.data, reference.data),
      };
    });
  }

  /** The batch-noise simulation, recomputed only when the generator, the shape or eps changes. */
  private noiseSimulation(settings: PanelSettings): NoiseSimulation {
    const key = JSON.stringify([
      settings.layout,
      tensorLayout(settings).shape.slice(1),
      settings.channelOffset,
      settings.channelScale,
      settings.sampleOffset,
      settings.sampleScale,
      settings.constantChannel,
      settings.eps,
    ]);
    if (!this.noise || key !== this.noiseKey) {
      this.noise = simulateNoise(this.kernels, settings);
      this.noiseKey = key;
    }
    return this.noise;
  }

  /** Frees the kernel memory. */
  dispose(): void {
    for (const tensor of [this.x, this.y, this.scratch]) {
      tensor?.release();
    }
    this.x = this.y = this.scratch = undefined;
  }

  private ensureSample(settings: PanelSettings, shape: readonly number[]): WasmTensor {
    const key = JSON.stringify([
      shape,
      settings.channelOffset,
      settings.channelScale,
      settings.sampleOffset,
      settings.sampleScale,
      settings.constantChannel,
    ]);
    if (key !== this.sampleKey || !this.x) {
      this.x = reuse(this.kernels, this.x, shape);
      fillSample(this.x.data, sampleShapeOf(settings), settings);
      this.sampleKey = key;
      this.input = undefined;
    }
    return this.x;
  }

  /**
   * PyTorch running statistics after `steps` training steps, trained once per generator (they do
   * not depend on eps, so changing eps does not retrain).
   */
  private runningStats(settings: PanelSettings): RunningStats {
    const key = JSON.stringify([
      settings.layout,
      settings.batch,
      tensorLayout(settings).features,
      settings.channelOffset,
      settings.channelScale,
      settings.sampleOffset,
      settings.sampleScale,
      settings.constantChannel,
      settings.momentum,
      settings.steps,
    ]);
    if (key !== this.runningKey) {
      const warmupShape = sampleShapeOf({
        ...settings,
        height: Math.min(settings.height, WARMUP_PLANE),
        width: Math.min(settings.width, WARMUP_PLANE),
        length: Math.min(settings.length, WARMUP_PLANE * WARMUP_PLANE),
      });
      const batches = Array.from({ length: WARMUP_BATCHES }, (_, i) =>
        sampleTensor(warmupShape, settings, 100 + i),
      );
      this.running = trainRunningStats(this.kernels, batches, settings);
      this.runningKey = key;
    }
    return this.running;
  }
}

/** Per-channel (per-feature) and per-sample mean and std of the panel's tensor. */
function moments(kernels: Kernels, t: Tensor, settings: PanelSettings): Moments {
  const layout = tensorLayout(settings);
  const channel = kernels.moments(t, layout.featureMomentAxes);
  const sample = kernels.moments(t, layout.sampleMomentAxes);
  return {
    channelMean: channel.mean,
    channelStd: channel.variance.map(Math.sqrt),
    sampleMean: sample.mean,
    sampleStd: sample.variance.map(Math.sqrt),
  };
}

/** `current` when it already has `shape`; otherwise a new kernel-memory tensor. */
function reuse(
  kernels: Kernels,
  current: WasmTensor | undefined,
  shape: readonly number[],
): WasmTensor {
  if (current?.shape.length === shape.length && current.shape.every((d, i) => d === shape[i])) {
    return current;
  }
  current?.release();
  return kernels.allocate(shape);
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    if (d > max) {
      max = d;
    }
  }
  return max;
}
