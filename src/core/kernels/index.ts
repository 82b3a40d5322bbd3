/**
 * Normalization kernels (BatchNorm, LayerNorm, InstanceNorm, GroupNorm, RMSNorm, LRN) and tensor
 * statistics, implemented once in WebAssembly SIMD (src/kernels-wasm) and used by the panel, the
 * CLI and the tests alike. Statistics accumulate in float64.
 */

import { batchNormInfer, batchNormTrain } from './batch-norm';
import { KernelContext } from './context';
import { groupNorm, instanceNorm } from './group-norm';
import { layerNorm, rmsNorm } from './layer-norm';
import { lrn } from './lrn';
import { Arena, MemoryViews, WasmTensor } from './memory';
import { instantiateKernels } from './runtime';
import { KernelArgumentError } from './errors';
import { numel } from './shapes';
import { histogram, moments, roundToPrecision, summarize } from './statistics';
import type {
  BatchNormInferOptions,
  BatchNormTrainOptions,
  BatchNormTrainResult,
  GroupNormOptions,
  Histogram,
  InstanceNormOptions,
  LayerNormOptions,
  LrnOptions,
  NormResult,
  Output,
  Precision,
  RmsNormOptions,
  RmsNormResult,
  Tensor,
  TensorSummary,
} from './types';

export type * from './types';
export { KernelArgumentError, type KernelErrorCode } from './errors';
export { WasmTensor } from './memory';

/**
 * The kernels. Every normalizing kernel takes an optional `out` (a Float32Array or tensor of the
 * input's size) and writes the result there; without it a new array is returned. Inputs and
 * outputs that live in kernel memory (see `allocate`) are used in place, with no copy.
 */
export interface Kernels {
  /** Mean and biased variance over `axes` of x; one entry per kept index, row-major over the kept dims. Accumulated in float64. */
  moments(x: Tensor, axes: readonly number[]): { mean: Float64Array; variance: Float64Array };
  /** Training-mode BatchNorm over channel axis 1 (NC...) : normalizes with batch stats and updates running stats in the given convention. */
  batchNormTrain(x: Tensor, options: BatchNormTrainOptions, out?: Output): BatchNormTrainResult;
  /** Inference-mode BatchNorm with running statistics. eps = 0 is allowed, as in PyTorch's eval mode. */
  batchNormInfer(x: Tensor, options: BatchNormInferOptions, out?: Output): Tensor;
  /** LayerNorm over the trailing dims given by `normalizedShape` or ONNX `axis`. */
  layerNorm(x: Tensor, options: LayerNormOptions, out?: Output): NormResult;
  /** InstanceNorm per sample and channel over the spatial dims. */
  instanceNorm(x: Tensor, options: InstanceNormOptions, out?: Output): Tensor;
  /** GroupNorm with per-channel (PyTorch, ONNX 21) or per-group (ONNX 18) affine parameters. */
  groupNorm(x: Tensor, options: GroupNormOptions, out?: Output): Tensor;
  /** RMSNorm over the trailing dims given by `normalizedShape` or ONNX `axis`. */
  rmsNorm(x: Tensor, options: RmsNormOptions, out?: Output): RmsNormResult;
  /** Local response normalization in the PyTorch, ONNX or TF convention. */
  lrn(x: Tensor, options: LrnOptions, out?: Output): Tensor;
  /** Counts of NaN, ±Infinity, zeros and fp16 under/overflow, and the finite min/max, mean and variance, in one pass. */
  summarize(x: Tensor): TensorSummary;
  /** Histogram of the finite values (default 64 bins over the finite min..max). */
  histogram(
    x: Tensor,
    options?: { readonly bins?: number; readonly range?: readonly [number, number] },
  ): Histogram;
  /** x rounded to fp16 or bf16 storage (round to nearest even), returned as float32. */
  roundToPrecision(x: Tensor, precision: Precision, out?: Output): Tensor;
  /**
   * A zero-initialised (or `values`-initialised) tensor in kernel memory. Kernels read and
   * write it without copies; reuse it across calls and `release()` it when done.
   */
  allocate(shape: readonly number[], values?: ArrayLike<number>): WasmTensor;
}

function createKernels(context: KernelContext): Kernels {
  return {
    moments: (x, axes) => moments(context, x, axes),
    batchNormTrain: (x, options, out) => batchNormTrain(context, x, options, out),
    batchNormInfer: (x, options, out) => batchNormInfer(context, x, options, out),
    layerNorm: (x, options, out) => layerNorm(context, x, options, out),
    instanceNorm: (x, options, out) => instanceNorm(context, x, options, out),
    groupNorm: (x, options, out) => groupNorm(context, x, options, out),
    rmsNorm: (x, options, out) => rmsNorm(context, x, options, out),
    lrn: (x, options, out) => lrn(context, x, options, out),
    summarize: (x) => summarize(context, x),
    histogram: (x, options) => histogram(context, x, options),
    roundToPrecision: (x, precision, out) => roundToPrecision(context, x, precision, out),
    allocate: (shape, values) => {
      const length = numel(shape);
      const ptr = context.arena.allocate(length * 4);
      const tensor = new WasmTensor(context.views, context.arena, ptr, [...shape], length);
      if (values) {
        if (values.length !== length) {
          tensor.release();
          throw new KernelArgumentError(
            'shape-mismatch',
            `allocate: shape [${shape.join(', ')}] needs ${length} values but got ${values.length}`,
          );
        }
        tensor.data.set(values);
      } else {
        tensor.data.fill(0);
      }
      return tensor;
    },
  };
}

let loading: Promise<Kernels> | undefined;

/** Instantiates the embedded WebAssembly kernels once; later calls return the same instance. */
export function loadKernels(): Promise<Kernels> {
  loading ??= instantiateKernels().then((wasm) => {
    const views = new MemoryViews(wasm.memory);
    return createKernels(new KernelContext(wasm, new Arena(wasm.memory, wasm.heapBase()), views));
  });
  return loading;
}
