/**
 * NORM017: channels whose γ is ≈ 0 contribute only the constant β, so they can be pruned
 * (Network Slimming). A γ that is zero in every channel is the zero-initialized last BatchNorm of a
 * residual block (Goyal et al. 2017) or an untrained layer, and does not fire.
 */
import type { Rule, RuleHit } from './types';

export const deadGamma: Rule = {
  id: 'dead-gamma',
  catalogId: 'NORM017',
  title: 'Normalization channels with γ ≈ 0',
  defaultSeverity: 'info',
  appliesTo: ['onnx', 'tfjs'],
  thresholds: [
    {
      name: 'relative',
      default: 1e-3,
      description: 'γ counts as dead when |γ| is below this fraction of the layer’s largest |γ|.',
    },
    {
      name: 'absolute',
      default: 1e-4,
      description: 'γ counts as dead when |γ| is below this, whatever the other channels.',
    },
  ],
  // The thresholds are applied when the weights are read: see weightHealthOptions in engine.ts.
  needs: 'weights',
  check(site, _context, _thresholds, inputs): readonly RuleHit[] {
    const weights = inputs?.weights;
    if (!weights || !['batchnorm', 'groupnorm', 'layernorm'].includes(site.kind)) {
      return [];
    }
    // Statistics at their initial values mean an untrained layer, where γ says nothing.
    if (weights.issues.some((issue) => issue.kind === 'stats-at-init')) {
      return [];
    }
    const hits: RuleHit[] = [];
    for (const issue of weights.issues) {
      const gamma = weights.tensors.find((t) => t.role === 'scale' && t.name === issue.tensor);
      const count = gamma?.shape.reduce((a, b) => a * b, 1);
      if (issue.kind !== 'dead-gamma' || issue.channels.length === count) {
        continue;
      }
      hits.push({
        message:
          `${site.variant}: ${issue.message}. Those channels output only β, a constant: ` +
          (site.kind === 'layernorm'
            ? 'they carry no signal past this norm; '
            : 'prune them with the matching filters (as Network Slimming does), or ') +
          `check the learning rate and weight decay on γ.`,
        related: [{ message: `tensor '${issue.tensor}'` }],
      });
    }
    return hits;
  },
};
