// BatchNorm: training mode (batch statistics plus the running-statistics update in each
// framework's convention) and inference mode (running statistics).

import {
  allocCoefficients,
  allocMoments,
  applyChannels,
  channelMoments,
  normalizeSets,
  optionalParameter,
} from './channels';
import { precisionMode, type KernelContext } from './context';
import { KernelArgumentError, pythonFloat, requireLength, shapeText } from './errors';
import { channelSplit, checkTensor, type ChannelSplit } from './shapes';
import type {
  BatchNormInferOptions,
  BatchNormTrainOptions,
  BatchNormTrainResult,
  Output,
  Tensor,
} from './types';

function checkParameters(
  split: ChannelSplit,
  options: {
    runningMean: Float32Array;
    runningVar: Float32Array;
    gamma?: Float32Array;
    beta?: Float32Array;
  },
): void {
  requireLength('running_mean', options.runningMean, split.c);
  requireLength('running_var', options.runningVar, split.c);
  requireLength('weight', options.gamma, split.c);
  requireLength('bias', options.beta, split.c);
}

/** Weight of the new batch in the running average, per convention (reference §A.1.3, §A.4). */
function newBatchWeight(options: BatchNormTrainOptions, tracked: number): number {
  const { momentum, convention } = options;
  if (momentum === null) {
    if (convention !== 'pytorch') {
      throw new KernelArgumentError(
        'invalid-argument',
        `momentum=null (cumulative average) exists only in the pytorch convention, not ${convention}`,
      );
    }
    return 1 / (tracked + 1);
  }
  if (!(momentum >= 0 && momentum <= 1)) {
    throw new KernelArgumentError(
      'invalid-argument',
      `momentum must be in [0, 1], but got ${pythonFloat(momentum)}`,
    );
  }
  return convention === 'pytorch' ? momentum : 1 - momentum;
}

/** BatchNorm training forward: normalizes with the biased batch variance and updates running stats. */
export function batchNormTrain(
  context: KernelContext,
  x: Tensor,
  options: BatchNormTrainOptions,
  out?: Output,
): BatchNormTrainResult {
  const count = checkTensor(x);
  const split = channelSplit(x.shape, options.layout, 'batch_norm');
  checkParameters(split, options);
  if (!(options.eps > 0) || !Number.isFinite(options.eps)) {
    throw new KernelArgumentError(
      'invalid-eps',
      `batch_norm eps must be positive during training, but got ${pythonFloat(options.eps)}`,
    );
  }
  const perChannel = split.n * split.s;
  if (options.convention === 'pytorch' && perChannel <= 1) {
    throw new KernelArgumentError(
      'too-few-values',
      `Expected more than 1 value per channel when training, got input size torch.Size(${shapeText(x.shape)})`,
    );
  }
  const tracked = options.numBatchesTracked ?? 0;
  const weight = newBatchWeight(options, tracked);
  const mode = precisionMode(options.precision);
  const { wasm, views } = context;
  return context.run((frame) => {
    const c = split.c;
    const moments = allocMoments(frame, c);
    const k = allocCoefficients(frame, c);
    const xp = context.input(frame, x, mode);
    const target = context.output(frame, x.shape, count, out);
    const runningMean = frame.copyF32(options.runningMean);
    const runningVar = frame.copyF32(options.runningVar);
    const affine = {
      gamma: optionalParameter(frame, options.gamma),
      beta: optionalParameter(frame, options.beta),
      period: c,
      div: 1,
    };
    if (!split.channelsLast && split.s > 1) {
      // Channel j is N runs of S floats: reduced and normalized while still in cache.
      const sets = { a: split.n, b: c, c: split.s, segments: 1 };
      normalizeSets(context, xp, target.ptr, sets, affine, options.eps, mode, moments, k);
    } else {
      channelMoments(context, xp, split, moments);
      wasm.coefficients(
        c,
        moments.mean,
        moments.variance,
        1,
        affine.gamma,
        affine.beta,
        c,
        1,
        options.eps,
        mode,
        k.meanHigh,
        k.meanLow,
        k.scale,
        k.offset,
      );
      applyChannels(context, xp, target.ptr, split, k, false);
    }
    wasm.runningUpdate(
      c,
      moments.mean,
      moments.variance,
      perChannel,
      runningMean,
      runningVar,
      weight,
      options.convention === 'pytorch' ? 1 : 0,
    );
    return {
      y: target.finish(mode),
      batchMean: views.readF64(moments.mean, c),
      batchVar: views.readF64(moments.variance, c),
      runningMean: views.readF32(runningMean, c),
      runningVar: views.readF32(runningVar, c),
      numBatchesTracked: tracked + 1,
    };
  });
}

/** BatchNorm inference forward with running statistics: y = (x − μ)/sqrt(σ² + eps)·γ + β. */
export function batchNormInfer(
  context: KernelContext,
  x: Tensor,
  options: BatchNormInferOptions,
  out?: Output,
): Tensor {
  const count = checkTensor(x);
  const split = channelSplit(x.shape, options.layout, 'batch_norm');
  checkParameters(split, options);
  // PyTorch accepts eps = 0 in evaluation mode and rejects only negative values.
  if (!(options.eps >= 0) || !Number.isFinite(options.eps)) {
    throw new KernelArgumentError(
      'invalid-eps',
      `batch_norm eps must be non-negative, but got ${pythonFloat(options.eps)}`,
    );
  }
  const mode = precisionMode(options.precision);
  return context.run((frame) => {
    const c = split.c;
    const k = allocCoefficients(frame, c);
    const xp = context.input(frame, x, mode);
    const target = context.output(frame, x.shape, count, out);
    context.wasm.coefficients(
      c,
      frame.copyF64(options.runningMean),
      frame.copyF64(options.runningVar),
      1,
      optionalParameter(frame, options.gamma),
      optionalParameter(frame, options.beta),
      c,
      1,
      options.eps,
      mode,
      k.meanHigh,
      k.meanLow,
      k.scale,
      k.offset,
    );
    applyChannels(context, xp, target.ptr, split, k, false);
    return target.finish(mode);
  });
}
