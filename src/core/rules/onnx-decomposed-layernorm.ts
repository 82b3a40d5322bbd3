/**
 * NORM014: a normalization spelled out in primitive ops (ReduceMean, Sub, Pow, Add eps, Sqrt,
 * Div…) where the opset has a native op with float32 statistics. Native ops are one node, fused
 * by runtimes, and keep eps in float32 for fp16 models.
 */
import { onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

/** The native op and the opset that introduced it, per decomposed variant. */
const NATIVE: Readonly<
  Record<string, { readonly op: string; readonly opset: number; readonly exporter: string }>
> = {
  'decomposed LayerNorm': {
    op: 'LayerNormalization',
    opset: 17,
    exporter: 'Both PyTorch exporters emit it from opset 17.',
  },
  'decomposed GroupNorm': {
    op: 'GroupNormalization',
    opset: 21,
    exporter:
      'PyTorch’s TorchScript exporter always decomposes GroupNorm; the dynamo exporter ' +
      '(dynamo=True) emits GroupNormalization from opset 21.',
  },
  'decomposed RMSNorm': {
    op: 'RMSNormalization',
    opset: 23,
    exporter: 'PyTorch’s dynamo exporter emits RMSNormalization at opset 23.',
  },
};

export const onnxDecomposedLayernorm: Rule = {
  id: 'onnx-decomposed-layernorm',
  catalogId: 'NORM014',
  title: 'Normalization is decomposed into primitive ops',
  defaultSeverity: 'hint',
  appliesTo: ['onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const native = NATIVE[site.variant];
    const context = onnxContext(site);
    if (!native || !context?.decomposed) {
      return [];
    }
    const nodes = site.location.type === 'graph' ? site.location.nodes.length : 0;
    const opset = context.opsetImport;
    const below = opset !== undefined && opset < native.opset;
    return [
      {
        message:
          `${site.variant} spelled out in ${nodes} nodes. ${native.op} (opset ≥ ${native.opset}) ` +
          `is one node with float32 statistics (stash_type=1), fused by runtimes and safe for ` +
          `fp16 epsilons. ` +
          (below
            ? `This model imports opset ${opset}: re-export with opset_version ≥ ${native.opset}. `
            : `Re-export so the exporter emits ${native.op}, or run ONNX Runtime's offline optimizer. `) +
          native.exporter,
        ...(below ? { severity: 'info' as const } : {}),
      },
    ];
  },
};
