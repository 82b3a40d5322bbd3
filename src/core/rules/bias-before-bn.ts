/**
 * NORM005: a convolution or dense layer with a bias directly before BatchNorm. BatchNorm subtracts
 * the per-channel mean, which cancels the bias (its role is taken by β), so the bias only costs
 * parameters and memory. Does not fire for GroupNorm or LayerNorm, where the bias is not cancelled.
 * Reads the producer layer of tfjs sites; PyTorch needs producer context.
 */
import { CITATIONS, citeLabel } from '../norms/index';
import { channelAxes, producerKind, singleAxis, siteProducer, tfjsContext } from './site-facts';
import type { Rule, RuleHit } from './types';

/** tfjs layers whose bias is per output channel (lower-cased, underscores removed). */
const BIASED_LAYERS = new Set([
  'conv1d',
  'conv2d',
  'conv3d',
  'conv2dtranspose',
  'conv3dtranspose',
  'depthwiseconv2d',
  'separableconv2d',
  'dense',
]);

export const biasBeforeBn: Rule = {
  id: 'bias-before-bn',
  catalogId: 'NORM005',
  title: 'Layer bias right before BatchNorm is cancelled',
  defaultSeverity: 'hint',
  appliesTo: ['tfjs'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const producer = tfjsContext(site)?.producer;
    const kind = producerKind(producer);
    if (site.kind !== 'batchnorm' || !producer || !kind || !BIASED_LAYERS.has(kind)) {
      return [];
    }
    // tfjs layers default to useBias: true.
    const axis = singleAxis(site.params['axis']?.value);
    if (
      producer.useBias === false ||
      axis === undefined ||
      !channelAxes(producer)?.includes(axis)
    ) {
      return [];
    }
    const shown = siteProducer(site);
    return [
      {
        message:
          `${shown?.label ?? producer.layer} adds a bias that ${site.variant} cancels: BatchNorm subtracts the per-channel ` +
          `mean, and β takes over the bias's role ${citeLabel(CITATIONS.batchNorm)}. Set ` +
          `useBias: false on the ${producer.layer}.`,
        related: shown ? [shown.evidence] : [],
      },
    ];
  },
};
