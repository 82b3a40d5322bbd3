/**
 * NORM027: a zero or negative epsilon. PyTorch's batch_norm raises "eps must be positive during
 * training"; everywhere else a zero-variance channel or row divides by √0. The fix restores the
 * framework's default, read from the descriptors.
 */
import { replaceLiteral, singleEditFix } from './edits';
import { formatNumber, frameworkDefault, onnxContext, paramOf } from './site-facts';
import type { Rule, RuleHit } from './types';

export const bnEpsNonpositive: Rule = {
  id: 'bn-eps-nonpositive',
  catalogId: 'NORM027',
  title: 'Epsilon is zero or negative',
  defaultSeverity: 'error',
  appliesTo: ['pytorch', 'tfjs', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const found = paramOf(site, 'eps', 'epsilon');
    const eps = found?.param.value;
    if (!found || typeof eps !== 'number' || eps > 0 || site.kind === 'lrn') {
      return [];
    }
    // An fp16 epsilon constant that rounded to 0 is eps-too-small-lowprec's finding.
    const epsilonType = onnxContext(site)?.epsilonType;
    if (epsilonType === 'float16' || epsilonType === 'bfloat16') {
      return [];
    }
    const fallback = frameworkDefault(site, found.name);
    const consequence =
      site.framework === 'pytorch' && site.kind === 'batchnorm'
        ? 'PyTorch raises "batch_norm eps must be positive during training"'
        : 'a channel or row with zero variance divides by √0 and gives NaN or ±Inf';
    return [
      {
        message: `${site.variant}: ${found.name}=${formatNumber(eps)}; ${consequence}.`,
        fixes:
          typeof fallback === 'number'
            ? singleEditFix(
                `Use ${found.name}=${formatNumber(fallback)} (the default)`,
                replaceLiteral(found.param, formatNumber(fallback)),
                true,
              )
            : [],
      },
    ];
  },
};
