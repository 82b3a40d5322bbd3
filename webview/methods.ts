/**
 * How each method is asked of the core: the descriptor's reduction (which elements share one
 * statistic) and the kernel call. The panel states no fact of its own about a method.
 */
import { descriptorOf, type Kernels, type Reduction, type Tensor } from '../src/core/index';
import { tensorLayout, type Method, type PanelSettings } from './settings';

/** The PyTorch class each method is shown as. */
const VARIANT: Readonly<Record<Method, string>> = {
  batchnorm: 'BatchNorm2d',
  layernorm: 'LayerNorm',
  instancenorm: 'InstanceNorm2d',
  groupnorm: 'GroupNorm',
  rmsnorm: 'RMSNorm',
};

/** Menu label: the descriptor's title plus the PyTorch class. */
export function methodLabel(method: Method): string {
  return `${descriptorOf(method).title} (${VARIANT[method]})`;
}

/**
 * What one statistic is shared over for `settings`, from the method's descriptor, with `axes` in
 * the panel's tensor ([N, C, H, W] or [N, L, D]).
 */
export function reductionOf(settings: PanelSettings): Reduction {
  const { batch, channels, height, width, groups } = settings;
  if (settings.layout === 'nld') {
    return sequenceReduction(settings);
  }
  const trailing = [channels, height, width];
  const params: Record<Method, Record<string, number | number[]>> = {
    batchnorm: { num_features: channels },
    layernorm: { normalized_shape: trailing },
    instancenorm: { num_features: channels },
    groupnorm: { num_groups: groups, num_channels: channels },
    rmsnorm: { normalized_shape: trailing },
  };
  return descriptorOf(settings.method).reduction({
    variant: VARIANT[settings.method],
    framework: 'pytorch',
    params: params[settings.method],
    shape: [batch, channels, height, width],
  });
}

/**
 * N×L×D: LayerNorm and RMSNorm over D per token; BatchNorm per feature over N × L, which is how a
 * sequence model applies BatchNorm1d (to the tensor transposed to N × D × L). The descriptor is
 * asked about that transposed tensor and its axes are mapped back.
 */
function sequenceReduction(settings: PanelSettings): Reduction {
  const { batch, length, features } = settings;
  if (settings.method === 'batchnorm') {
    const reduction = descriptorOf('batchnorm').reduction({
      variant: 'BatchNorm1d',
      framework: 'pytorch',
      params: { num_features: features },
      shape: [batch, features, length],
      layout: 'NCL',
    });
    return { ...reduction, axes: reduction.axes?.map((axis) => [0, 2, 1][axis] ?? axis) };
  }
  const method = settings.method === 'rmsnorm' ? 'rmsnorm' : 'layernorm';
  return descriptorOf(method).reduction({
    variant: VARIANT[method],
    framework: 'pytorch',
    params: { normalized_shape: [features] },
    shape: [batch, length, features],
    layout: 'NLD',
  });
}

/** Running statistics for inference mode. */
export interface RunningStats {
  readonly mean: Float32Array;
  readonly variance: Float32Array;
}

/**
 * Runs the chosen method on x ([N, C, H, W], or [N, L, D] with BatchNorm per D and LayerNorm and
 * RMSNorm over D) into `out` with the core kernels.
 */
export function runMethod(
  kernels: Kernels,
  x: Tensor,
  settings: PanelSettings,
  out: Tensor,
  running: RunningStats,
  precision: 'fp32' | 'fp16' | 'bf16' = 'fp32',
): Tensor {
  const { eps } = settings;
  const { features, channelsLast } = tensorLayout(settings);
  const perChannel = affine(settings, features);
  // The trailing dims LayerNorm and RMSNorm normalize over: C × H × W, or D.
  const trailing = channelsLast ? [features] : [features, settings.height, settings.width];
  const trailingCount = trailing.reduce((a, b) => a * b, 1);
  const layout = channelsLast ? ({ layout: 'channels-last' } as const) : {};
  switch (settings.method) {
    case 'batchnorm':
      if (settings.inference) {
        return kernels.batchNormInfer(
          x,
          {
            eps,
            precision,
            runningMean: running.mean,
            runningVar: running.variance,
            ...layout,
            ...perChannel,
          },
          out,
        );
      }
      return kernels.batchNormTrain(
        x,
        {
          eps,
          precision,
          momentum: settings.momentum,
          convention: 'pytorch',
          runningMean: running.mean,
          runningVar: running.variance,
          ...layout,
          ...perChannel,
        },
        out,
      ).y;
    case 'layernorm':
      return kernels.layerNorm(
        x,
        { eps, precision, normalizedShape: trailing, ...affine(settings, trailingCount) },
        out,
      ).y;
    case 'instancenorm':
      return kernels.instanceNorm(x, { eps, precision, ...perChannel }, out);
    case 'groupnorm':
      return kernels.groupNorm(
        x,
        { eps, precision, numGroups: settings.groups, ...perChannel },
        out,
      );
    case 'rmsnorm': {
      const gamma = affine(settings, trailingCount).gamma;
      return kernels.rmsNorm(
        x,
        { eps, precision, normalizedShape: trailing, ...(gamma && { gamma }) },
        out,
      ).y;
    }
  }
}

/** Running statistics after `settings.steps` PyTorch training steps on the given batches. */
export function trainRunningStats(
  kernels: Kernels,
  batches: readonly Tensor[],
  settings: PanelSettings,
): RunningStats {
  const { features, channelsLast } = tensorLayout(settings);
  let mean: Float32Array = new Float32Array(features);
  let variance: Float32Array = new Float32Array(features).fill(1);
  for (let step = 0; step < settings.steps && batches.length > 0; step++) {
    const batch = batches[step % batches.length]!;
    const result = kernels.batchNormTrain(batch, {
      eps: settings.eps,
      momentum: settings.momentum,
      convention: 'pytorch',
      runningMean: mean,
      runningVar: variance,
      ...(channelsLast && { layout: 'channels-last' }),
    });
    mean = result.runningMean;
    variance = result.runningVar;
  }
  return { mean, variance };
}

const affineCache = new Map<string, { gamma: Float32Array; beta: Float32Array }>();

/** γ and β filled with the settings' scalars, or nothing when affine is off. */
function affine(
  settings: PanelSettings,
  length: number,
): { gamma?: Float32Array; beta?: Float32Array } {
  if (!settings.affine) {
    return {};
  }
  const key = `${length}:${settings.gamma}:${settings.beta}`;
  let cached = affineCache.get(key);
  if (!cached) {
    affineCache.clear();
    cached = {
      gamma: new Float32Array(length).fill(settings.gamma),
      beta: new Float32Array(length).fill(settings.beta),
    };
    affineCache.set(key, cached);
  }
  return cached;
}
