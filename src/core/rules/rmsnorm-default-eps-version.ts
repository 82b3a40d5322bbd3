/**
 * NORM023: `RMSNorm`/`F.rms_norm` with `eps=None` in fp16/bf16 code. The default changed in
 * January 2025 (PR #142848): before, it was the input dtype's machine epsilon (9.77e-4 in fp16,
 * 7.8e-3 in bf16); since, float32's (1.19e-7). The same code normalizes differently across torch
 * versions. The epsilons come from the RMSNorm descriptor.
 */
import type { Fix, NormSite } from '../model';
import { rmsNormDefaultEps } from '../norms/index';
import { setArgument } from './edits';
import { formatNumber } from './site-facts';
import type { Rule, RuleHit } from './types';

/** Explicit epsilons offered as fixes (common RMSNorm choices). */
const EXPLICIT = ['1e-6', '1e-5'];

export const rmsnormDefaultEpsVersion: Rule = {
  id: 'rmsnorm-default-eps-version',
  catalogId: 'NORM023',
  title: 'RMSNorm default epsilon depends on the torch version in fp16/bf16',
  defaultSeverity: 'info',
  appliesTo: ['pytorch'],
  thresholds: [],
  check(site, context): readonly RuleHit[] {
    // `None` as written or by default; an unknown value (behind **kwargs) is not judged.
    const eps = site.params['eps'];
    const isNone = eps?.value === null && eps.source !== 'unknown';
    const low = context.precision?.find((p) => p.value === 'float16' || p.value === 'bfloat16');
    if (site.kind !== 'rmsnorm' || !isNone || !low) {
      return [];
    }
    const before = rmsNormDefaultEps(low.value, true);
    const after = rmsNormDefaultEps(low.value);
    return [
      {
        message:
          `${site.variant} with eps=None runs in ${low.value} here (${low.origin}): torch releases ` +
          `before the January 2025 fix use ${formatNumber(before)} (${low.value} machine epsilon), ` +
          `later ones ${formatNumber(after)} (float32's), so results depend on the torch version. ` +
          `Pass eps explicitly.`,
        related: [{ message: low.origin, range: low.range }],
        fixes: explicitFixes(site),
      },
    ];
  },
};

function explicitFixes(site: NormSite): Fix[] {
  const fixes: Fix[] = [];
  for (const value of EXPLICIT) {
    const edit = setArgument(site, 'eps', value);
    if (edit) {
      fixes.push({ title: `Pass eps=${value}`, edits: [edit] });
    }
  }
  return fixes;
}
