/**
 * NORM015: LayerNorm's scale does not fit the normalized dims. ONNX broadcasts Scale to
 * X.shape[axis:] from the right, so a `(C)` scale with axis=1 on NCHW fails when W ≠ C and
 * silently scales along W when W = C. tfjs layerNormalization over the batch axis mixes samples.
 */
import type { NormSite } from '../model';
import { onnxContext, staticShape } from './site-facts';
import type { Rule, RuleHit } from './types';

export const layernormShapeMismatch: Rule = {
  id: 'layernorm-shape-mismatch',
  catalogId: 'NORM015',
  title: 'LayerNorm shape does not match the normalized dims',
  defaultSeverity: 'error',
  appliesTo: ['onnx', 'tfjs'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    if (site.kind !== 'layernorm') {
      return [];
    }
    return site.framework === 'tfjs' ? batchAxisHits(site) : scaleHits(site);
  },
};

/** Scale against X.shape[axis:] under ONNX unidirectional broadcasting. */
function scaleHits(site: NormSite): RuleHit[] {
  const context = onnxContext(site);
  const shape = staticShape(context);
  const scale = context?.scaleShape;
  const axis = site.params['axis']?.value;
  if (context?.op !== 'LayerNormalization' || !shape || !scale || typeof axis !== 'number') {
    return [];
  }
  const start = axis < 0 ? shape.length + axis : axis;
  const normalized = shape.slice(start);
  if (start < 0 || start >= shape.length || sameDims(scale, normalized)) {
    return [];
  }
  const what = `Scale [${scale.join(', ')}] against normalized dims [${normalized.join(', ')}] (axis=${axis}, input [${shape.join(', ')}])`;
  if (!broadcastsTo(scale, normalized)) {
    return [{ message: `${what}: not broadcastable, so the model fails to run.` }];
  }
  // Only a scale shaped like the leading normalized dims is suspicious: its author meant those
  // dims (per channel), but broadcasting aligns it with the trailing ones.
  if (!sameDims(scale, normalized.slice(0, scale.length)) || scale.every((d) => d === 1)) {
    return [];
  }
  return [
    {
      message:
        `${what}: broadcasting aligns Scale with the trailing dims, so it scales along ` +
        `[${normalized.slice(normalized.length - scale.length).join(', ')}] of the last ` +
        `${scale.length} dim(s), not along [${scale.join(', ')}] as its shape suggests. ` +
        `Permute to channels-last around the LayerNorm, or use GroupNorm with one group.`,
      severity: 'warning',
    },
  ];
}

/** tfjs/Keras layerNormalization over axis 0 normalizes across the batch. */
function batchAxisHits(site: NormSite): RuleHit[] {
  const axis = site.params['axis']?.value;
  const axes = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : [];
  if (!axes.includes(0)) {
    return [];
  }
  return [
    {
      message:
        `${site.variant} with axis ${JSON.stringify(axis)} includes the batch axis 0: each ` +
        `sample's output depends on the rest of the batch. LayerNorm normalizes per sample; ` +
        `use the feature axes (default -1).`,
      severity: 'warning',
    },
  ];
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}

/** Unidirectional (right-aligned) broadcast of `from` to `to`. */
function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) {
    return false;
  }
  const offset = to.length - from.length;
  return from.every((d, k) => d === 1 || d === to[offset + k]);
}
