/**
 * NORM028: Lazy* normalization modules infer `num_features` from the first input, so nothing
 * about their channel count can be checked before the model runs.
 */
import type { Rule, RuleHit } from './types';

export const lazyNorm: Rule = {
  id: 'lazy-norm',
  catalogId: 'NORM028',
  title: 'Lazy normalization module: channel count known only at run time',
  defaultSeverity: 'hint',
  appliesTo: ['pytorch'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    if (!site.variant.startsWith('Lazy')) {
      return [];
    }
    const eager = site.variant.slice('Lazy'.length);
    return [
      {
        message:
          `${site.variant} takes num_features from the first forward pass, so channel checks ` +
          `cannot run here. Pass the count to ${eager}(num_features) if it is known.`,
      },
    ];
  },
};
