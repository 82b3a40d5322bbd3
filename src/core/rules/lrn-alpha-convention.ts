/**
 * NORM021: local response normalization parameters that look ported across conventions. PyTorch
 * and ONNX divide α by the window size n; TensorFlow (and tfjs) do not, and take a radius r with
 * n = 2r + 1. A tfjs α equal to the PyTorch default, or PyTorch/ONNX parameters equal to the TF
 * defaults, suggest a port that kept the number. Defaults and windows come from the descriptors.
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
  appliesTo: ['pytorch', 'tfjs', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const alpha = numberParam(site, 'alpha');
    if (site.kind !== 'lrn' || alpha === undefined) {
      return [];
    }
    return site.framework === 'tfjs' ? tfHits(site, alpha) : dividedHits(site, alpha);
  },
};

/** A tfjs α equal to PyTorch's default: PyTorch would divide it by n, TF does not. */
function tfHits(site: NormSite, alpha: number): RuleHit[] {
  const radius = numberParam(site, 'depthRadius', 'depth_radius', 'radius');
  if (radius === undefined || alpha !== defaultsOf(site, 'alpha').pytorch) {
    return [];
  }
  const window = lrnWindow('tf', radius);
  const converted = alpha / window.count;
  return [
    {
      message:
        `alpha=${formatNumber(alpha)} is PyTorch/ONNX's default, where α is divided by the ` +
        `window size. TensorFlow does not divide: PyTorch's LocalResponseNorm(${window.count}, ` +
        `alpha=${formatNumber(alpha)}) is alpha=${formatNumber(converted)} here (depthRadius ${radius}).`,
      fixes: singleEditFix(
        `Use alpha=${formatNumber(converted)} (PyTorch's α / ${window.count})`,
        replaceLiteral(site.params['alpha'], formatNumber(converted)),
      ),
    },
  ];
}

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
