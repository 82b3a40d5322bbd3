/**
 * NORM012: GroupNormalization at opset 18-20 has one scale/bias value per group, unlike the
 * paper, PyTorch and GroupNormalization-21 (per channel). A per-channel scale there is a model
 * that fails at run time; a per-group one is legal but deprecated.
 */
import { knownDim, numberParam, onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

export const onnxGroupnormOpset18: Rule = {
  id: 'onnx-groupnorm-opset18',
  catalogId: 'NORM012',
  title: 'GroupNormalization-18 has per-group scale and bias (deprecated)',
  defaultSeverity: 'warning',
  appliesTo: ['onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const context = onnxContext(site);
    if (context?.op !== 'GroupNormalization' || context.opVersion !== 18) {
      return [];
    }
    const groups = numberParam(site, 'num_groups');
    const channels = knownDim(context, 1);
    const length = context.scaleShape?.length === 1 ? context.scaleShape[0] : undefined;
    const convert =
      'Convert with onnx.version_converter.convert_version(model, 21), which repeats scale and ' +
      'bias per channel, or re-export at opset ≥ 21.';
    if (length !== undefined && groups !== undefined && length !== groups && length === channels) {
      return [
        {
          message:
            `GroupNormalization at opset ${context.opsetImport ?? 18} wants scale and bias of ` +
            `length num_groups (${groups}), but they have one value per channel (${length}): ` +
            `the model fails at run time. The author likely meant opset-21 semantics. ${convert}`,
          severity: 'error',
        },
      ];
    }
    return [
      {
        message:
          `GroupNormalization at opset ${context.opsetImport ?? 18} applies one scale and bias ` +
          `per group${groups === undefined ? '' : ` (${groups})`}, not per channel as in PyTorch ` +
          `and GroupNormalization-21; this version is deprecated. ${convert}`,
      },
    ];
  },
};
