/**
 * NORM016: BatchNorm running statistics that break inference: negative or NaN/Inf values (error),
 * variances near zero that blow up γ/√(σ² + ε) when folded (warning), or statistics still at
 * their initial values (warning). Reads the weight health the caller computed for the site.
 */
import type { Severity } from '../model';
import type { HealthIssueKind } from '../onnx/index';
import type { Rule, RuleHit } from './types';

/** Weight-health issues this rule reports, with their severity and advice. */
const REPORTED: Partial<
  Record<HealthIssueKind, { readonly severity: Severity; readonly advice: string }>
> = {
  'running-var-invalid': {
    severity: 'error',
    advice:
      'sqrt(var + eps) is NaN there; recompute the statistics and check the checkpoint loading.',
  },
  'running-mean-invalid': {
    severity: 'error',
    advice: 'the output of those channels is NaN; recompute the statistics.',
  },
  'running-var-near-zero': {
    severity: 'warning',
    advice:
      'folding multiplies the weights by γ/√(var + ε), which can overflow fp16; prune dead channels or keep eps ≥ 1e-5.',
  },
  'stats-at-init': {
    severity: 'warning',
    advice: 'the model was exported before training or without updating BatchNorm statistics.',
  },
};

export const runningVarInvalid: Rule = {
  id: 'running-var-invalid',
  catalogId: 'NORM016',
  title: 'BatchNorm running statistics are invalid or were never updated',
  defaultSeverity: 'error',
  appliesTo: ['onnx', 'tfjs'],
  thresholds: [],
  needs: 'weights',
  check(site, _context, _thresholds, inputs): readonly RuleHit[] {
    if (site.kind !== 'batchnorm' || !inputs?.weights) {
      return [];
    }
    const hits: RuleHit[] = [];
    for (const issue of inputs.weights.issues) {
      const reported = REPORTED[issue.kind];
      if (reported) {
        hits.push({
          message: `${site.variant}: ${issue.message}; ${reported.advice}`,
          severity: reported.severity,
          related: [{ message: `tensor '${issue.tensor}'` }],
        });
      }
    }
    return hits;
  },
};
