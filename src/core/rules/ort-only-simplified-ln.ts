/**
 * NORM022: ONNX Runtime registers `SimplifiedLayerNormalization`, and `LayerNormalization` below
 * opset 17, in the default ONNX domain. Other runtimes and `onnx.checker` do not know them.
 */
import { onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

/** The standard op that replaces each ORT-only one, and its opset. */
const STANDARD: Readonly<Record<string, string>> = {
  SimplifiedLayerNormalization: 'RMSNormalization (opset 23)',
  LayerNormalization: 'LayerNormalization at opset ≥ 17',
};

export const ortOnlySimplifiedLn: Rule = {
  id: 'ort-only-simplified-ln',
  catalogId: 'NORM022',
  title: 'Normalization op that only ONNX Runtime knows',
  defaultSeverity: 'info',
  appliesTo: ['onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const context = onnxContext(site);
    const standard = context && STANDARD[context.op];
    const defaultDomain = context?.domain === '' || context?.domain === 'ai.onnx';
    // A standard op has a schema version in effect; these ORT registrations do not.
    if (!context || !standard || !defaultDomain || context.opVersion !== undefined) {
      return [];
    }
    return [
      {
        message:
          `${context.op} in the default domain at opset ${context.opsetImport ?? '?'} is an ` +
          `ONNX Runtime extension: onnx.checker and other runtimes reject it. The standard op ` +
          `is ${standard}.`,
      },
    ];
  },
};
