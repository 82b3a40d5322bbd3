/**
 * NORM010: dropout feeding BatchNorm. Dropout changes the variance between training and test
 * while BatchNorm keeps the training-time running variance ("variance shift", Li et al. 2019).
 * Reads the producer of an ONNX BatchNormalization; PyTorch needs dataflow context.
 */
import { CITATIONS, citeLabel } from '../norms/index';
import { onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

export const dropoutBeforeBn: Rule = {
  id: 'dropout-before-bn',
  catalogId: 'NORM010',
  title: 'Dropout feeds BatchNorm',
  defaultSeverity: 'warning',
  appliesTo: ['onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const producer = onnxContext(site)?.producer;
    if (site.kind !== 'batchnorm' || producer?.op !== 'Dropout') {
      return [];
    }
    return [
      {
        message:
          `Dropout '${producer.node}' feeds ${site.variant}: BatchNorm learns its running variance ` +
          `with dropout active and normalizes with it when dropout is off, which shifts the ` +
          `variance at inference ${citeLabel(CITATIONS.dropoutVarianceShift)}. Move dropout ` +
          `after the last BatchNorm.`,
        related: [{ message: `Dropout '${producer.node}'`, nodes: [producer.node] }],
      },
    ];
  },
};
