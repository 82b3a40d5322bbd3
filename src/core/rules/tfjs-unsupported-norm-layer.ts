/**
 * NORM019: a model.json layer class that tfjs does not implement (GroupNormalization,
 * InstanceNormalization, TF-Addons layers…). Loading fails with "Unknown layer" unless the app
 * registers a custom class.
 */
import { tfjsContext } from './site-facts';
import type { Rule, RuleHit } from './types';

export const tfjsUnsupportedNormLayer: Rule = {
  id: 'tfjs-unsupported-norm-layer',
  catalogId: 'NORM019',
  title: 'Normalization layer that TensorFlow.js cannot load',
  defaultSeverity: 'error',
  appliesTo: ['tfjs'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const unsupported = tfjsContext(site)?.unsupportedClass;
    if (unsupported === undefined) {
      return [];
    }
    return [
      {
        message:
          `${unsupported} is not a TensorFlow.js layer (tfjs has only BatchNormalization and ` +
          `LayerNormalization): tf.loadLayersModel fails with "Unknown layer: ${unsupported}" ` +
          `unless the app registers a class with tf.serialization.registerClass. Implement a ` +
          `custom layer, or convert to a graph model.`,
      },
    ];
  },
};
