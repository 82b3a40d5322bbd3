/**
 * The one list of rules. It feeds the engine, the CLI's rule listing, the generated settings and
 * the README's rule table.
 */
import { adainUnbiasedStd } from './adain-unbiased-std';
import { biasBeforeBn } from './bias-before-bn';
import { bnBatch1Train } from './bn-batch1-train';
import { bnChannelAxis } from './bn-channel-axis';
import { bnEpsNonpositive } from './bn-eps-nonpositive';
import { bnInSequenceModel } from './bn-in-sequence-model';
import { bnNoRunningStatsAtInference } from './bn-no-running-stats-at-inference';
import { bnSmallBatch } from './bn-small-batch';
import { deadGamma } from './dead-gamma';
import { dropoutBeforeBn } from './dropout-before-bn';
import { epsTooSmallLowprec } from './eps-too-small-lowprec';
import { frozenbnNoEps } from './frozenbn-no-eps';
import { gnDivisibility } from './gn-divisibility';
import { instancenormDefaults } from './instancenorm-defaults';
import { layernormShapeMismatch } from './layernorm-shape-mismatch';
import { lazyNorm } from './lazy-norm';
import { lrnAlphaConvention } from './lrn-alpha-convention';
import { lrnEvenSize } from './lrn-even-size';
import { momentumConvention } from './momentum-convention';
import { normDegenerateReduction } from './norm-degenerate-reduction';
import { normFeaturesMismatch } from './norm-features-mismatch';
import { onnxBnTrainingMode } from './onnx-bn-training-mode';
import { onnxBnUnfused } from './onnx-bn-unfused';
import { onnxDecomposedLayernorm } from './onnx-decomposed-layernorm';
import { onnxGroupnormOpset18 } from './onnx-groupnorm-opset18';
import { ortOnlySimplifiedLn } from './ort-only-simplified-ln';
import { rmsnormDefaultEpsVersion } from './rmsnorm-default-eps-version';
import { runningVarInvalid } from './running-var-invalid';
import { syncbnMisuse } from './syncbn-misuse';
import { tfjsUnsupportedNormLayer } from './tfjs-unsupported-norm-layer';
import type { Rule } from './types';

/** Every rule NormLens runs, in catalog order. */
export const RULES: readonly Rule[] = [
  bnBatch1Train,
  bnSmallBatch,
  gnDivisibility,
  normFeaturesMismatch,
  biasBeforeBn,
  momentumConvention,
  epsTooSmallLowprec,
  normDegenerateReduction,
  bnNoRunningStatsAtInference,
  dropoutBeforeBn,
  bnInSequenceModel,
  onnxGroupnormOpset18,
  onnxBnUnfused,
  onnxDecomposedLayernorm,
  layernormShapeMismatch,
  runningVarInvalid,
  deadGamma,
  onnxBnTrainingMode,
  tfjsUnsupportedNormLayer,
  lrnEvenSize,
  lrnAlphaConvention,
  ortOnlySimplifiedLn,
  rmsnormDefaultEpsVersion,
  bnChannelAxis,
  frozenbnNoEps,
  adainUnbiasedStd,
  bnEpsNonpositive,
  lazyNorm,
  instancenormDefaults,
  syncbnMisuse,
];

/** The rule with this id, if any. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
