/**
 * NORM006: a BatchNorm momentum written in the other framework's convention. PyTorch's momentum
 * weights the new batch (default 0.1); Keras, tfjs and ONNX weight the old value (0.99, 0.9). A
 * PyTorch `momentum=0.99` almost always is a Keras value, and vice versa. The conversion and the
 * update formulas come from the descriptors' conventions.
 */
import type { NormSite } from '../model';
import { MOMENTUM_CONVENTION, MOMENTUM_FORMULA, convertMomentum } from '../norms/index';
import { replaceLiteral, singleEditFix, spellLike } from './edits';
import { formatNumber, paramOf } from './site-facts';
import type { Rule, RuleHit } from './types';

export const momentumConvention: Rule = {
  id: 'momentum-convention',
  catalogId: 'NORM006',
  title: 'BatchNorm momentum looks like the other framework’s convention',
  defaultSeverity: 'warning',
  appliesTo: ['pytorch', 'tfjs', 'onnx'],
  thresholds: [
    {
      name: 'boundary',
      default: 0.5,
      description:
        'PyTorch momentum at or above this, or Keras/tfjs/ONNX momentum at or below it, is flagged.',
    },
  ],
  check(site, _context, thresholds): readonly RuleHit[] {
    const found = paramOf(site, 'momentum');
    const momentum = found?.param.value;
    // Without running statistics (track_running_stats=False) momentum is never used.
    const untracked = site.params['track_running_stats']?.value === false;
    if (site.kind !== 'batchnorm' || !found || typeof momentum !== 'number' || untracked) {
      return [];
    }
    const boundary = thresholds['boundary'] ?? 0.5;
    const own = MOMENTUM_CONVENTION[site.framework];
    const suspicious = own === 'pytorch' ? momentum >= boundary : momentum <= boundary;
    // PyTorch momentum=1.0 is PreciseBN's deliberate "take the last batch"; Keras momentum 1 (never
    // update) is as clearly not a PyTorch value. Momentum 0 in PyTorch freezes statistics on purpose.
    if (
      !suspicious ||
      (own === 'pytorch' && momentum === 1) ||
      (own === 'keras' && momentum === 0)
    ) {
      return [];
    }
    const other = own === 'pytorch' ? 'keras' : 'pytorch';
    const converted = convertMomentum(momentum, other, own);
    const trainingGraph = site.framework !== 'onnx' || site.params['training_mode']?.value === 1;
    return [
      {
        message:
          `momentum=${formatNumber(momentum)} in ${frameworkName(site)} means ` +
          `${MOMENTUM_FORMULA[own]}. It reads like a ${conventionName(other)} value; the same ` +
          `update here is momentum=${formatNumber(converted)}.` +
          (trainingGraph ? '' : ' This graph is not in training mode, so momentum is unused.'),
        ...(trainingGraph ? {} : { severity: 'info' as const }),
        fixes: singleEditFix(
          `Use momentum=${formatNumber(converted)} (${conventionName(own)} convention)`,
          replaceLiteral(found.param, spellLike(found.param.expression, converted)),
          true,
        ),
      },
    ];
  },
};

function frameworkName(site: NormSite): string {
  return { pytorch: 'PyTorch', tfjs: 'TensorFlow.js', onnx: 'ONNX' }[site.framework];
}

function conventionName(convention: 'pytorch' | 'keras'): string {
  return convention === 'pytorch' ? 'PyTorch' : 'Keras/TensorFlow/ONNX';
}
