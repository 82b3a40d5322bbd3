/**
 * NORM026: AdaIN-style statistics computed with the unbiased `.var()`/`.std()`. InstanceNorm uses
 * the biased variance (divide by n); Bessel's correction (divide by n − 1) makes the variance
 * n/(n − 1) larger, which matters on small maps, and NaN on a 1×1 map (n = 1). The message shows
 * the factor for small maps; the fix passes `unbiased=False` (or `correction=0` on torch ≥ 2.0).
 */
import type { FileContext, UnbiasedInstanceStats } from '../model';
import { CITATIONS, citeLabel } from '../norms/index';
import { torchAtLeast } from './torch-version';
import { noSiteHits, type FileRuleHit, type Rule } from './types';

export const adainUnbiasedStd: Rule = {
  id: 'adain-unbiased-std',
  catalogId: 'NORM026',
  title: 'AdaIN statistics use the unbiased variance, unlike InstanceNorm',
  defaultSeverity: 'info',
  appliesTo: ['pytorch'],
  thresholds: [],
  check: noSiteHits,
  checkFile(context): readonly FileRuleHit[] {
    return (context.codeFacts?.unbiasedInstanceStats ?? []).map((found) => hitOf(found, context));
  },
};

function hitOf(found: UnbiasedInstanceStats, context: FileContext): FileRuleHit {
  // `correction=` exists from torch 2.0 on; `unbiased=` works in every version.
  const keyword = torchAtLeast(context.torchVersion, 2, 0) ? 'correction=0' : 'unbiased=False';
  const factor = (n: number) => (n / (n - 1)).toFixed(2);
  const stdNote = found.statistic === 'std' ? ' (its square root for std)' : '';
  return {
    location: { type: 'text', range: found.range },
    message:
      `${found.functionName} computes ${found.statistic}(${found.dims}) with Bessel's ` +
      `correction, but InstanceNorm and AdaIN ${citeLabel(CITATIONS.adaIn)} use the biased ` +
      `variance: over n values it is n/(n − 1) times larger${stdNote} — ${factor(4)}× on a 2×2 ` +
      `map, ${factor(16)}× on 4×4 — and NaN on a 1×1 map (n − 1 = 0).`,
    related: [found.rescale],
    fixes: found.keywordAt
      ? [
          {
            title: `Use the biased ${found.statistic} (${keyword})`,
            edits: [{ range: found.keywordAt, newText: `, ${keyword}` }],
            preferred: true,
          },
        ]
      : [],
  };
}
