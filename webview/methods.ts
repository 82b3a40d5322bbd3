/**
 * How each method is asked of the core: the descriptor's reduction (which elements share one
 * statistic) and the kernel call. The panel states no fact of its own about a method.
 */
import { descriptorOf, type Kernels, type Reduction, type Tensor } from '../src/core/index';
import type { Method, PanelSettings } from './settings';

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

/** What one statistic is shared over for `settings`, from the method's descriptor. */
export function reductionOf(settings: PanelSettings): Reduction {
  const { batch, channels, height, width, groups } = settings;
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
 * The statistic that cell (n, c) of an N × C × (H·W) block belongs to: cells with equal keys share
 * one mean/variance. Axes 2 and 3 (H, W) are reduced by every method here, so a cell stands for a
 * whole H·W plane; a kept axis separates cells, and GroupNorm's channel axis is reduced only
 * within each of its groups.
 */
export function statisticKey(reduction: Reduction, channels: number, n: number, c: number): number {
  const axes = reduction.axes ?? [];
  const keepsBatch = !axes.includes(0);
  const keepsChannel = !axes.includes(1);
  const channelGroup =
    reduction.groups !== undefined ? Math.floor(c / (channels / reduction.groups)) : 0;
  const channelKey = keepsChannel ? c : channelGroup;
  return (keepsBatch ? n : 0) * (channels + 1) + channelKey;
}

/** Running statistics for inference mode. */
export interface RunningStats {
  readonly mean: Float32Array;
  readonly variance: Float32Array;
}

/** Runs the chosen method on x (NCHW) into `out` with the core kernels. */
export function runMethod(
  kernels: Kernels,
  x: Tensor,
  settings: PanelSettings,
  out: Tensor,
  running: RunningStats,
  precision: 'fp32' | 'fp16' | 'bf16' = 'fp32',
): Tensor {
  const { channels, height, width, eps } = settings;
  const perChannel = affine(settings, channels);
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
          ...perChannel,
        },
        out,
      ).y;
    case 'layernorm':
      return kernels.layerNorm(
        x,
        {
          eps,
          precision,
          normalizedShape: [channels, height, width],
          ...affine(settings, channels * height * width),
        },
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
      const gamma = affine(settings, channels * height * width).gamma;
      return kernels.rmsNorm(
        x,
        { eps, precision, normalizedShape: [channels, height, width], ...(gamma && { gamma }) },
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
  let mean: Float32Array = new Float32Array(settings.channels);
  let variance: Float32Array = new Float32Array(settings.channels).fill(1);
  for (let step = 0; step < settings.steps && batches.length > 0; step++) {
    const batch = batches[step % batches.length]!;
    const result = kernels.batchNormTrain(batch, {
      eps: settings.eps,
      momentum: settings.momentum,
      convention: 'pytorch',
      runningMean: mean,
      runningVar: variance,
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
