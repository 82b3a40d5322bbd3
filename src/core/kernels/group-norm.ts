// GroupNorm (both affine forms) and InstanceNorm, which is GroupNorm with one channel per group.

import {
  allocCoefficients,
  allocMoments,
  applyChannels,
  normalizeSets,
  optionalParameter,
} from './channels';
import { precisionMode, type KernelContext } from './context';
import { KernelArgumentError, requirePositiveEps, shapeText } from './errors';
import { channelSplit, checkTensor, type ChannelSplit } from './shapes';
import type { GroupNormOptions, InstanceNormOptions, Output, Precision, Tensor } from './types';

/** What GroupNorm and InstanceNorm share of their options. */
interface GroupParameters {
  readonly eps: number;
  readonly gamma?: Float32Array | undefined;
  readonly beta?: Float32Array | undefined;
  readonly precision?: Precision | undefined;
}

/** Statistics per (sample, group) and coefficients per (sample, channel), then one apply pass. */
function normalizeGroups(
  context: KernelContext,
  x: Tensor,
  split: ChannelSplit,
  spec: GroupParameters,
  g: number,
  perGroupAffine: boolean,
  out: Output | undefined,
): Tensor {
  const { n, c, s, channelsLast } = split;
  const perGroup = c / g;
  const mode = precisionMode(spec.precision);
  const { wasm } = context;
  return context.run((frame) => {
    const m = allocMoments(frame, n * g);
    const k = allocCoefficients(frame, n * c);
    const xp = context.input(frame, x, mode);
    const target = context.output(frame, x.shape, x.data.length, out);
    const affine = {
      gamma: optionalParameter(frame, spec.gamma),
      beta: optionalParameter(frame, spec.beta),
      period: c,
      div: perGroupAffine ? perGroup : 1,
    };
    if (!channelsLast) {
      // Channels first: each (sample, group) is one contiguous run of C/G channels × S elements,
      // reduced and normalized while still in cache.
      const sets = { a: 1, b: n * g, c: perGroup * s, segments: perGroup };
      normalizeSets(context, xp, target.ptr, sets, affine, spec.eps, mode, m, k);
      return target.finish(mode);
    }
    // Channels last: each sample is S rows of C channels. Per-channel moments (reduced across
    // rows, vectorized along them) are pooled into groups of C/G adjacent channels.
    const perChannel = perGroup === 1 ? m : allocMoments(frame, n * c);
    for (let i = 0; i < n; i++) {
      const o = i * c * 8;
      wasm.accumulate(
        xp + i * s * c * 4,
        s,
        c,
        1,
        perChannel.mean + o,
        perChannel.variance + o,
        perChannel.squares + o,
        1,
      );
    }
    wasm.finishMoments(n * c, s, perChannel.mean, perChannel.variance, perChannel.squares);
    if (perChannel !== m) {
      wasm.poolMoments(n * g, perGroup, perChannel.mean, perChannel.variance, m.mean, m.variance);
    }
    wasm.coefficients(
      n * c,
      m.mean,
      m.variance,
      perGroup,
      affine.gamma,
      affine.beta,
      c,
      affine.div,
      spec.eps,
      mode,
      k.meanHigh,
      k.meanLow,
      k.scale,
      k.offset,
    );
    applyChannels(context, xp, target.ptr, split, k, true);
    return target.finish(mode);
  });
}

/** GroupNorm: per sample, over C/G channels × spatial dims, then γ and β per channel or per group. */
export function groupNorm(
  context: KernelContext,
  x: Tensor,
  options: GroupNormOptions,
  out?: Output,
): Tensor {
  checkTensor(x);
  const split = channelSplit(x.shape, options.layout, 'group_norm');
  const groups = options.numGroups;
  if (!Number.isInteger(groups) || groups < 1 || split.c % groups !== 0) {
    throw new KernelArgumentError(
      'groups-not-divisible',
      `Expected number of channels in input to be divisible by num_groups, but got input of shape ${shapeText(x.shape)} and num_groups=${groups}`,
    );
  }
  const perGroupAffine = options.affine === 'per-group';
  const expected = perGroupAffine ? groups : split.c;
  for (const [name, values] of [
    ['weight', options.gamma],
    ['bias', options.beta],
  ] as const) {
    if (values && values.length !== expected) {
      throw new KernelArgumentError(
        'shape-mismatch',
        `Expected ${name} to be a vector of size equal to the number of ${perGroupAffine ? 'groups' : 'channels in input'}, but got ${name} of shape [${values.length}] and input of shape ${shapeText(x.shape)}`,
      );
    }
  }
  requirePositiveEps('group_norm', options.eps);
  return normalizeGroups(context, x, split, options, groups, perGroupAffine, out);
}

/**
 * InstanceNorm: per sample and channel over the spatial dims. With one spatial element the
 * output is β (ONNX's behaviour; PyTorch raises "Expected more than 1 spatial element").
 */
export function instanceNorm(
  context: KernelContext,
  x: Tensor,
  options: InstanceNormOptions,
  out?: Output,
): Tensor {
  checkTensor(x);
  const split = channelSplit(x.shape, options.layout, 'instance_norm');
  for (const values of [options.gamma, options.beta]) {
    if (values && values.length !== split.c) {
      throw new KernelArgumentError(
        'shape-mismatch',
        `expected input's size at dim=${split.channelsLast ? x.shape.length - 1 : 1} to match num_features (${values.length}), but got: ${split.c}.`,
      );
    }
  }
  requirePositiveEps('instance_norm', options.eps);
  return normalizeGroups(context, x, split, options, split.c, false, out);
}
