/**
 * NORM008: a normalization whose statistics cover a single value. Then x − mean = 0 and the
 * output is the bias whatever the input (RMSNorm keeps only the sign). PyTorch raises for
 * InstanceNorm and GroupNorm even in eval; ONNX Runtime silently returns B. The reduction and its
 * wording come from the descriptors.
 */
import type { NormKind } from '../model';
import { descriptorOf } from '../norms/index';
import { onnxContext, paramValues } from './site-facts';
import type { Rule, RuleHit } from './types';

/** Kinds whose per-sample statistics can collapse (BatchNorm's case is NORM001). */
const KINDS = new Set<NormKind>(['instancenorm', 'groupnorm', 'layernorm', 'rmsnorm']);

export const normDegenerateReduction: Rule = {
  id: 'norm-degenerate-reduction',
  catalogId: 'NORM008',
  title: 'Normalization statistics cover a single value',
  defaultSeverity: 'error',
  appliesTo: ['pytorch', 'tfjs', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const mvn = site.variant === 'MeanVarianceNormalization';
    if (!KINDS.has(site.kind) && !mvn) {
      return [];
    }
    const shape = onnxContext(site)?.input?.shape?.map((dim) => dim ?? '?');
    const reduction = descriptorOf(site.kind).reduction({
      variant: site.variant,
      framework: site.framework,
      params: paramValues(site),
      ...(shape ? { shape } : {}),
    });
    if (reduction.values !== 1) {
      return [];
    }
    const outcome =
      site.kind === 'rmsnorm'
        ? 'the output keeps only the sign of the input (times γ)'
        : 'x − mean is 0, so the output is the bias (β) whatever the input';
    return [
      {
        message:
          `${site.variant} normalizes ${reduction.text}: ${outcome}. Normalize over more values ` +
          `(e.g. over channels), or remove the layer.`,
      },
    ];
  },
};
