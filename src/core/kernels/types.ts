// Public types of the kernels API.

/** A dense row-major float32 tensor. */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Where the channel axis is: 'channels-first' = axis 1 (NCHW, NCL, NC…; PyTorch and ONNX),
 * 'channels-last' = the last axis (NHWC, N…C; tfjs and Keras).
 */
export type Layout = 'channels-first' | 'channels-last';

/**
 * Storage precision to emulate. 'fp16' and 'bf16' round the input, the statistics (mean and
 * variance), eps, the sum var + eps and the output to that format (round to nearest even), as a
 * model stored in that format would; accumulation stays float64. Default 'fp32' (no rounding).
 */
export type Precision = 'fp32' | 'fp16' | 'bf16';

/** Running-statistics convention of BatchNorm training (see the BatchNorm descriptor). */
export type BatchNormConvention = 'pytorch' | 'onnx' | 'tfjs';

/** Where a kernel writes its output: a caller-owned array, or a tensor in the kernels' memory. */
export type Output = Float32Array | Tensor;

/** Options shared by the normalizing kernels. */
export interface PrecisionOption {
  /** Storage format to emulate; default 'fp32'. */
  readonly precision?: Precision;
}

/** BatchNorm in training mode. */
export interface BatchNormTrainOptions extends PrecisionOption {
  readonly eps: number;
  /**
   * PyTorch: weight of the new batch (default there 0.1), or null for a cumulative average over
   * `numBatchesTracked + 1` batches. ONNX and tfjs: weight of the old value (0.9 and 0.99).
   */
  readonly momentum: number | null;
  readonly convention: BatchNormConvention;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  readonly gamma?: Float32Array;
  readonly beta?: Float32Array;
  /** Batches seen before this one (PyTorch's num_batches_tracked); default 0. */
  readonly numBatchesTracked?: number;
  readonly layout?: Layout;
}

/** Result of BatchNorm training. The running statistics are new arrays; the inputs are not modified. */
export interface BatchNormTrainResult {
  readonly y: Tensor;
  /** Per-channel batch mean. */
  readonly batchMean: Float64Array;
  /** Per-channel biased batch variance (the one used to normalize). */
  readonly batchVar: Float64Array;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  /** `numBatchesTracked + 1`. */
  readonly numBatchesTracked: number;
}

/** BatchNorm in inference mode (running statistics). */
export interface BatchNormInferOptions extends PrecisionOption {
  readonly eps: number;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  readonly gamma?: Float32Array;
  readonly beta?: Float32Array;
  readonly layout?: Layout;
}

/**
 * Which trailing dims LayerNorm and RMSNorm normalize: PyTorch's `normalizedShape` (must equal the
 * trailing dims) or ONNX's `axis` (first normalized axis, negative counts from the end). Default:
 * the last axis.
 */
export interface TrailingAxesOption {
  readonly normalizedShape?: readonly number[];
  readonly axis?: number;
}

/** LayerNorm; γ and β have one value per normalized element. */
export interface LayerNormOptions extends PrecisionOption, TrailingAxesOption {
  readonly eps: number;
  readonly gamma?: Float32Array;
  readonly beta?: Float32Array;
}

/** Normalized output plus the per-row statistics (one per element of the leading dims). */
export interface NormResult {
  readonly y: Tensor;
  readonly mean: Float64Array;
  /** Biased variance. */
  readonly variance: Float64Array;
}

/** RMSNorm; γ has one value per normalized element. */
export interface RmsNormOptions extends PrecisionOption, TrailingAxesOption {
  /** Default 2^-23 ≈ 1.19e-7 (PyTorch's eps=None for float32 inputs). */
  readonly eps?: number;
  readonly gamma?: Float32Array;
}

/** Output plus the per-row root mean square sqrt(mean(x²)). */
export interface RmsNormResult {
  readonly y: Tensor;
  readonly rms: Float64Array;
}

/** InstanceNorm: per sample and channel, over the spatial dims. γ and β are per channel. */
export interface InstanceNormOptions extends PrecisionOption {
  readonly eps: number;
  readonly gamma?: Float32Array;
  readonly beta?: Float32Array;
  readonly layout?: Layout;
}

/**
 * GroupNorm. `affine`: 'per-channel' (PyTorch, ONNX 21: γ and β of length C, the default) or
 * 'per-group' (ONNX 18: length numGroups).
 */
export interface GroupNormOptions extends PrecisionOption {
  readonly numGroups: number;
  readonly eps: number;
  readonly gamma?: Float32Array;
  readonly beta?: Float32Array;
  readonly affine?: 'per-channel' | 'per-group';
  readonly layout?: Layout;
}

/**
 * Local response normalization. 'pytorch' and 'onnx': across axis 1, y = x/(k + α/size·Σx²)^β;
 * they differ for even sizes (PyTorch puts size/2 channels before, ONNX (size−1)/2).
 * 'tf': across the last axis, y = x/(bias + α·Σx²)^β over [d − depthRadius, d + depthRadius].
 */
export type LrnOptions =
  | {
      readonly convention: 'pytorch' | 'onnx';
      readonly size: number;
      /** Default 1e-4. */
      readonly alpha?: number;
      /** Default 0.75. */
      readonly beta?: number;
      /** Default 1. */
      readonly k?: number;
    }
  | {
      readonly convention: 'tf';
      /** Default 5. */
      readonly depthRadius?: number;
      /** Default 1. */
      readonly bias?: number;
      /** Default 1. */
      readonly alpha?: number;
      /** Default 0.5. */
      readonly beta?: number;
    };

/** Counts and range of a tensor's values. */
export interface TensorSummary {
  readonly count: number;
  /** Smallest and largest finite value (NaN when there is none). */
  readonly min: number;
  readonly max: number;
  readonly nanCount: number;
  readonly posInfCount: number;
  readonly negInfCount: number;
  readonly zeroCount: number;
  /** Nonzero values that become 0 in fp16 (|x| < 2^-25). */
  readonly fp16UnderflowCount: number;
  /** Finite values that become ±Infinity in fp16 (|x| ≥ 65520). */
  readonly fp16OverflowCount: number;
  /** Mean of the finite values, accumulated in float64 (NaN when there is none). */
  readonly mean: number;
  /** Biased variance of the finite values, accumulated in float64 (NaN when there is none). */
  readonly variance: number;
}

/** Histogram of the finite values. */
export interface Histogram {
  /** bins + 1 bin edges. */
  readonly edges: Float64Array;
  readonly counts: Uint32Array;
  /** Finite values outside the range. */
  readonly below: number;
  readonly above: number;
}
