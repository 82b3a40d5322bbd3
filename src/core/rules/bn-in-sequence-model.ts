/**
 * NORM011: BatchNorm on recurrent outputs. Batch statistics over time steps and padding are
 * unstable; LayerNorm was designed for this case. Reads the producer of an ONNX
 * BatchNormalization; a Conv producer (Conformer's convolution module) does not fire.
 */
import { CITATIONS, citeLabel } from '../norms/index';
import { onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

/** Recurrent ONNX ops whose outputs are per time step. */
const RECURRENT_OPS = new Set(['LSTM', 'GRU', 'RNN']);

export const bnInSequenceModel: Rule = {
  id: 'bn-in-sequence-model',
  catalogId: 'NORM011',
  title: 'BatchNorm normalizes recurrent sequence features',
  defaultSeverity: 'info',
  appliesTo: ['onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const producer = onnxContext(site)?.producer;
    if (site.kind !== 'batchnorm' || !producer || !RECURRENT_OPS.has(producer.op)) {
      return [];
    }
    return [
      {
        message:
          `${site.variant} normalizes the output of ${producer.op} '${producer.node}': batch ` +
          `statistics mix time steps and padding, and fluctuate strongly on sequence data ` +
          `${citeLabel(CITATIONS.powerNorm)}. LayerNorm normalizes each time step on its own ` +
          `${citeLabel(CITATIONS.layerNorm)}.`,
        related: [{ message: `${producer.op} '${producer.node}'`, nodes: [producer.node] }],
      },
    ];
  },
};
