/**
 * NORM007: an epsilon that fp16 cannot hold, where `var + eps` is computed in fp16. Below 2⁻²⁵ it
 * rounds to 0 and a constant row gives 0/0 = NaN; below 2⁻¹⁴ it is subnormal (0 under
 * flush-to-zero). Reads ONNX models: decomposed norms with an fp16 epsilon constant,
 * GroupNormalization-18 (casts eps to the input type) and ops with a low-precision `stash_type`.
 * Sources (PyTorch fp16 code, tfjs half-float textures) are informational: see
 * eps-lowprec-sources.ts.
 */
import type { NormSite, Severity } from '../model';
import { sourceHits } from './eps-lowprec-sources';
import type { OnnxSiteContext } from '../onnx/index';
import { FP16_SMALLEST_NORMAL, FP16_ZERO_BELOW, fp16Class, roundToFp16 } from './precision';
import { formatNumber, numberParam, onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

/** ONNX Runtime ops that add eps in float32 whatever the input type. */
const FP32_INTERNAL_OPS = new Set(['SkipLayerNormalization', 'SkipSimplifiedLayerNormalization']);

/** Ops whose statistics (and eps) use `stash_type`; 1 means float32. */
const STASHED_OPS = new Set(['LayerNormalization', 'GroupNormalization', 'RMSNormalization']);

export const epsTooSmallLowprec: Rule = {
  id: 'eps-too-small-lowprec',
  catalogId: 'NORM007',
  title: 'Epsilon vanishes in fp16',
  defaultSeverity: 'error',
  appliesTo: ['onnx', 'tfjs', 'pytorch'],
  thresholds: [],
  check(site, file): readonly RuleHit[] {
    if (site.framework !== 'onnx') {
      return sourceHits(site, file);
    }
    const context = onnxContext(site);
    const eps = numberParam(site, 'epsilon');
    const addType = context && addPrecision(site, context);
    if (!context || eps === undefined || !addType) {
      return [];
    }
    if (addType === 'bfloat16') {
      return [bf16Hit(site, eps)];
    }
    if (eps >= FP16_SMALLEST_NORMAL) {
      return [];
    }
    const stored = roundToFp16(eps);
    const kind = fp16Class(eps);
    const fp32Inside = FP32_INTERNAL_OPS.has(context.op);
    const severity: Severity = fp32Inside ? 'info' : kind === 'zero' ? 'error' : 'warning';
    const effect =
      kind === 'zero'
        ? 'a constant row (padding, a dead channel) gives 0/0 = NaN'
        : `it is subnormal (below ${formatNumber(FP16_SMALLEST_NORMAL)}) and becomes 0 under flush-to-zero`;
    // A decomposed pattern's constant is already stored in fp16; a native op casts its attribute.
    const stated = context.decomposed
      ? `the fp16 epsilon constant holds ${formatNumber(eps)}` +
        (eps === 0 ? ` (anything below ${formatNumber(FP16_ZERO_BELOW)} rounds to 0)` : '')
      : `epsilon ${formatNumber(eps)} is ${formatNumber(stored)} in fp16`;
    return [
      {
        message:
          `${site.variant}: ${stated}, so ${effect}.` +
          (fp32Inside
            ? ` ${context.op} adds it in float32, so this only matters if the model is converted.`
            : ` Use epsilon ≥ 1e-3, or compute the statistics in float32 (stash_type=1, opset ≥ 17).`),
        severity,
      },
    ];
  },
};

/** The type in which `var + eps` is computed, when it is fp16 or bf16. */
function addPrecision(site: NormSite, context: OnnxSiteContext): string | undefined {
  const low = (type: string | undefined) =>
    type === 'float16' || type === 'bfloat16' ? type : undefined;
  if (context.decomposed) {
    return low(context.epsilonType);
  }
  const input = low(context.input?.dtype);
  if (!input) {
    return undefined;
  }
  if (FP32_INTERNAL_OPS.has(context.op)) {
    return input;
  }
  // GroupNormalization-18's function body casts epsilon to the input type.
  if (context.op === 'GroupNormalization' && context.opVersion === 18) {
    return input;
  }
  if (STASHED_OPS.has(context.op)) {
    return site.params['stash_type']?.value === 1 ? undefined : input;
  }
  return undefined;
}

function bf16Hit(site: NormSite, eps: number): RuleHit {
  return {
    message:
      `${site.variant}: var + ${formatNumber(eps)} is computed in bfloat16, which keeps 8 bits ` +
      `of precision: eps is lost whenever var > ${formatNumber(eps * 2 ** 8)}. Compute the ` +
      `statistics in float32 (stash_type=1).`,
    severity: 'info',
  };
}
