/**
 * NORM018: a BatchNormalization exported in training mode. Its output depends on the batch it is
 * given (batch statistics), which a deployed model almost never wants.
 */
import { onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

export const onnxBnTrainingMode: Rule = {
  id: 'onnx-bn-training-mode',
  catalogId: 'NORM018',
  title: 'BatchNormalization is in training mode',
  defaultSeverity: 'warning',
  appliesTo: ['onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const context = onnxContext(site);
    if (context?.op !== 'BatchNormalization') {
      return [];
    }
    const flagged = site.params['training_mode']?.value === 1;
    // Before opset 14 there is no training_mode: outputs 2-5 (running and saved statistics) exist
    // only in training graphs. From 14 on, extra outputs are invalid unless training_mode=1.
    const extraOutputs = context.outputCount > 1;
    if (!flagged && !extraOutputs) {
      return [];
    }
    const why = flagged
      ? 'training_mode=1'
      : `${context.outputCount} outputs (running statistics are produced only in training)`;
    return [
      {
        message:
          `BatchNormalization has ${why}: it normalizes with the statistics of the batch it is ` +
          `given, so a prediction depends on the rest of the batch. Re-export with the model in ` +
          `eval() mode.`,
      },
    ];
  },
};
