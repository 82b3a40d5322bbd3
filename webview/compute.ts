/**
 * One update of the panel: the sample tensor, the chosen method and the statistics before and
 * after, all through the core kernels. Tensors live in kernel memory and are reused across
 * updates, so changing a control allocates nothing large and copies nothing into WebAssembly.
 */
import type { Histogram, Kernels, Precision, Tensor, WasmTensor } from '../src/core/index';
import { runMethod, trainRunningStats, type RunningStats } from './methods';
import { fillSample, sampleTensor } from './sample-tensor';
import type { PanelSettings } from './settings';

/** Mean and standard deviation per channel (axes N, H, W reduced) and per sample (C, H, W). */
export interface Moments {
  readonly channelMean: Float64Array;
  readonly channelStd: Float64Array;
  readonly sampleMean: Float64Array;
  readonly sampleStd: Float64Array;
}

/** Everything one update shows. */
export interface Computation {
  readonly x: Tensor;
  readonly y: Tensor;
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

  constructor(private readonly kernels: Kernels) {}

  /** Recomputes for `settings`. */
  update(settings: PanelSettings): Computation {
    const { kernels } = this;
    const shape = [settings.batch, settings.channels, settings.height, settings.width];
    const generateStarted = performance.now();
    const x = this.ensureSample(settings, shape);
    const generateMs = performance.now() - generateStarted;
    const started = performance.now();
    const running = this.runningStats(settings);
    this.y = reuse(kernels, this.y, shape);
    const y = runMethod(kernels, x, settings, this.y, running);
    const result = {
      x,
      y,
      before: moments(kernels, x),
      after: moments(kernels, y),
      histogramBefore: kernels.histogram(x, { bins: HISTOGRAM_BINS }),
      histogramAfter: kernels.histogram(y, { bins: HISTOGRAM_BINS }),
      running,
      generateMs,
    };
    return { ...result, kernelMs: performance.now() - started };
  }

  /** The same method in fp32, fp16 and bf16 on the current sample. */
  precisions(settings: PanelSettings, reference: Tensor): PrecisionRow[] {
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
      fillSample(this.x.data, settings, settings);
      this.sampleKey = key;
    }
    return this.x;
  }

  /**
   * PyTorch running statistics after `steps` training steps, trained once per generator (they do
   * not depend on eps, so changing eps does not retrain).
   */
  private runningStats(settings: PanelSettings): RunningStats {
    const key = JSON.stringify([
      settings.batch,
      settings.channels,
      settings.channelOffset,
      settings.channelScale,
      settings.sampleOffset,
      settings.sampleScale,
      settings.constantChannel,
      settings.momentum,
      settings.steps,
    ]);
    if (key !== this.runningKey) {
      const warmupShape = {
        batch: settings.batch,
        channels: settings.channels,
        height: Math.min(settings.height, WARMUP_PLANE),
        width: Math.min(settings.width, WARMUP_PLANE),
      };
      const batches = Array.from({ length: WARMUP_BATCHES }, (_, i) =>
        sampleTensor(warmupShape, settings, 100 + i),
      );
      this.running = trainRunningStats(this.kernels, batches, settings);
      this.runningKey = key;
    }
    return this.running;
  }
}

/** Per-channel and per-sample mean and std of an NCHW tensor. */
function moments(kernels: Kernels, t: Tensor): Moments {
  const channel = kernels.moments(t, [0, 2, 3]);
  const sample = kernels.moments(t, [1, 2, 3]);
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
