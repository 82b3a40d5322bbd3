/**
 * NORM013: an inference-mode BatchNormalization right after a Conv/ConvTranspose/Gemm whose
 * output nothing else reads, with constant parameters. It can be folded into the producer's
 * weights (W' = W·s, b' = (b − μ)·s + β with s = γ/√(σ² + ε)); unfused it costs load time and
 * may not be fused by every runtime.
 */
import { onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

export const onnxBnUnfused: Rule = {
  id: 'onnx-bn-unfused',
  catalogId: 'NORM013',
  title: 'BatchNormalization could be folded into the preceding layer',
  defaultSeverity: 'hint',
  appliesTo: ['onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const context = onnxContext(site);
    const into = context?.foldableInto;
    if (!context || into === undefined) {
      return [];
    }
    const op = context.producer?.op ?? 'the producer';
    return [
      {
        message:
          `BatchNormalization follows ${op} '${into}' in inference mode with constant ` +
          `parameters: it folds into ${op}'s weights and bias. ONNX Runtime does this at load ` +
          `(basic optimizations); other runtimes may not. PyTorch's exporters fold it when the ` +
          `model is in eval() mode; otherwise save an ORT-optimized model or run onnxoptimizer's ` +
          `fuse_bn_into_conv.`,
        related: [{ message: `${op} '${into}'`, nodes: [into] }],
      },
    ];
  },
};
