/**
 * NORM011: BatchNorm on recurrent outputs. Batch statistics over time steps and padding are
 * unstable; LayerNorm was designed for this case. Reads the producer of ONNX and tfjs sites; a
 * convolution producer (Conformer's convolution module) does not fire.
 */
import { CITATIONS, citeLabel } from '../norms/index';
import { siteProducer } from './site-facts';
import type { Rule, RuleHit } from './types';

/** Recurrent ONNX ops and tfjs layers (lower-cased) whose outputs are per time step. */
const RECURRENT = new Set(['lstm', 'gru', 'rnn', 'simplernn', 'bidirectional']);

export const bnInSequenceModel: Rule = {
  id: 'bn-in-sequence-model',
  catalogId: 'NORM011',
  title: 'BatchNorm normalizes recurrent sequence features',
  defaultSeverity: 'info',
  appliesTo: ['onnx', 'tfjs'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const producer = siteProducer(site);
    if (site.kind !== 'batchnorm' || !producer || !RECURRENT.has(producer.kind)) {
      return [];
    }
    return [
      {
        message:
          `${site.variant} normalizes the output of ${producer.label}: batch ` +
          `statistics mix time steps and padding, and fluctuate strongly on sequence data ` +
          `${citeLabel(CITATIONS.powerNorm)}. LayerNorm normalizes each time step on its own ` +
          `${citeLabel(CITATIONS.layerNorm)}.`,
        related: [producer.evidence],
      },
    ];
  },
};
