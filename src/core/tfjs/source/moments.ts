/**
 * `tf.moments(x, axis, keepDims)` is how tfjs code writes its own normalizations (instance norm,
 * group norm, layer norm). The reduced axes say which kind the statistics serve.
 */
import type { NormKind, ParamValue } from '../../model';
import type { ParamSpec } from '../../norms/index';
import { positional, spec } from '../../norms/params';

/** `tf.moments(x, axis=null, keepDims=false)`; tfjs' moments is not a normalization descriptor. */
export const MOMENTS_PARAMS: readonly ParamSpec[] = positional(
  spec('x', {}, 'The tensor whose statistics are computed.'),
  spec('axis', { tfjs: null }, 'Axes to reduce; null reduces every axis.'),
  spec('keepDims', { tfjs: false }, 'Keep reduced axes with size 1, so the result broadcasts.'),
);

/** The kind a moments call most likely implements, and why. */
export interface MomentsReading {
  readonly kind: NormKind;
  readonly reason: string;
}

/** Reads the kind from the reduced axes (NHWC unless the axes say otherwise). */
export function readMoments(axis: ParamValue): MomentsReading {
  const axes =
    typeof axis === 'number'
      ? [axis]
      : Array.isArray(axis)
        ? [...(axis as readonly number[])]
        : undefined;
  if (axes === undefined || axes.length === 0) {
    return { kind: 'other', reason: 'statistics over axes not known statically' };
  }
  const key = [...axes].sort((a, b) => a - b).join(',');
  if (axes.includes(0)) {
    return { kind: 'batchnorm', reason: 'statistics over the batch axis, per feature' };
  }
  switch (key) {
    case '-1':
      return { kind: 'layernorm', reason: 'statistics over the last axis, per position' };
    case '1,2':
    case '2,3':
      return {
        kind: 'instancenorm',
        reason: 'statistics per sample and channel, over the spatial axes',
      };
    case '1,2,3':
      return { kind: 'layernorm', reason: 'statistics per sample, over every non-batch axis' };
    case '1,2,4':
      return {
        kind: 'groupnorm',
        reason: 'statistics per sample and channel group (reshaped to N,H,W,G,C/G)',
      };
    default:
      return { kind: 'other', reason: `statistics over axes [${key}]` };
  }
}
