/**
 * NORM010: dropout feeding BatchNorm. Dropout changes the variance between training and test
 * while BatchNorm keeps the training-time running variance ("variance shift", Li et al. 2019).
 * Reads the producer of ONNX and tfjs sites (`dropout`, `spatialDropout2d`…); PyTorch needs
 * dataflow context.
 */
import { CITATIONS, citeLabel } from '../norms/index';
import { siteProducer } from './site-facts';
import type { Rule, RuleHit } from './types';

export const dropoutBeforeBn: Rule = {
  id: 'dropout-before-bn',
  catalogId: 'NORM010',
  title: 'Dropout feeds BatchNorm',
  defaultSeverity: 'warning',
  appliesTo: ['onnx', 'tfjs'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const producer = siteProducer(site);
    if (site.kind !== 'batchnorm' || !producer?.kind.includes('dropout')) {
      return [];
    }
    return [
      {
        message:
          `${producer.label} feeds ${site.variant}: BatchNorm learns its running variance ` +
          `with dropout active and normalizes with it when dropout is off, which shifts the ` +
          `variance at inference ${citeLabel(CITATIONS.dropoutVarianceShift)}. Move dropout ` +
          `after the last BatchNorm.`,
        related: [producer.evidence],
      },
    ];
  },
};
