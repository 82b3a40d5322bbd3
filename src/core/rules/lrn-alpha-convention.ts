/**
 * NORM021: local response normalization parameters that look ported across conventions. PyTorch
 * and ONNX divide α by the window size n; TensorFlow (and tfjs) do not, and take a radius r with
 * n = 2r + 1. PyTorch/ONNX parameters equal to TF's defaults (α = 1, β = 0.5) suggest a port
 * that kept the numbers. Defaults and windows come from the descriptors. The reverse (a tfjs
 * α of 1e-4, PyTorch's default) is not flagged: it is also AlexNet's value in the paper's own,
 * undivided formula, so it says nothing about a port.
 */
import type { NormSite } from '../model';
import { lrnWindow } from '../norms/index';
import { replaceLiteral, singleEditFix } from './edits';
import { defaultsOf, formatNumber, numberParam } from './site-facts';
import type { Rule, RuleHit } from './types';

export const lrnAlphaConvention: Rule = {
  id: 'lrn-alpha-convention',
  catalogId: 'NORM021',
  title: 'Local response normalization α looks like the other convention',
  defaultSeverity: 'info',
  appliesTo: ['pytorch', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const alpha = numberParam(site, 'alpha');
    if (site.kind !== 'lrn' || alpha === undefined) {
      return [];
    }
    return dividedHits(site, alpha);
  },
};

/** PyTorch/ONNX α and β equal to TF's defaults: TF's α is not divided by n. */
function dividedHits(site: NormSite, alpha: number): RuleHit[] {
  const size = numberParam(site, 'size');
  const beta = numberParam(site, 'beta');
  const tf = (name: string) => defaultsOf(site, name).tfjs;
  if (size === undefined || beta === undefined || alpha !== tf('alpha') || beta !== tf('beta')) {
    return [];
  }
  const window = lrnWindow(site.framework === 'onnx' ? 'onnx' : 'pytorch', size);
  return [
    {
      message:
        `alpha=${formatNumber(alpha)}, beta=${formatNumber(beta)} are TensorFlow's defaults, where ` +
        `α is not divided by the window. Here α is divided by ${window.alphaDivisor}: TF's ` +
        `alpha=${formatNumber(alpha)} is alpha=${formatNumber(alpha * window.alphaDivisor)} here.`,
      fixes: singleEditFix(
        `Use alpha=${formatNumber(alpha * window.alphaDivisor)} (TF's α × ${window.alphaDivisor})`,
        replaceLiteral(site.params['alpha'], formatNumber(alpha * window.alphaDivisor)),
      ),
    },
  ];
}
