/**
 * NORM007 for sources, where the epsilon add usually does not happen in fp16 and the finding is
 * informational. PyTorch's native norm kernels compute in float32 even for half inputs, but an
 * epsilon that rounds to 0 in fp16 breaks once the model is exported below opset 17 (decomposed
 * LayerNorm) or the norm is written by hand. tfjs WebGL shaders add epsilon at high precision while
 * storing variances as fp16 textures.
 */
import type { FileContext, Fix, NormSite } from '../model';
import type { TfjsFileContext } from '../tfjs/index';
import { replaceLiteral, setArgument, singleEditFix } from './edits';
import { FP16_SMALLEST_NORMAL, FP16_ZERO_BELOW, roundToFp16 } from './precision';
import { formatNumber, paramOf } from './site-facts';
import type { RuleHit } from './types';

/** Raised epsilons offered in fp16 code: PyTorch's default, and the smallest safe normal value. */
const RAISED = ['1e-5', '1e-3'];

/** The hits for a PyTorch or tfjs site. */
export function sourceHits(site: NormSite, file: FileContext): RuleHit[] {
  return site.framework === 'tfjs' ? tfjsHits(site, file) : pytorchHits(site, file);
}

/** A PyTorch epsilon that is 0 in fp16, in a file that runs in fp16. */
function pytorchHits(site: NormSite, file: FileContext): RuleHit[] {
  const found = paramOf(site, 'eps');
  const eps = typeof found?.param.value === 'number' ? found.param.value : undefined;
  const half = file.precision?.find((p) => p.value === 'float16');
  if (eps === undefined || eps <= 0 || eps > FP16_ZERO_BELOW || !half || site.kind === 'lrn') {
    return [];
  }
  const fixes: Fix[] = [];
  for (const value of RAISED) {
    const edit = setArgument(site, 'eps', value);
    if (edit) {
      fixes.push({ title: `Use eps=${value}`, edits: [edit] });
    }
  }
  return [
    {
      message:
        `${site.variant}: eps=${formatNumber(eps)} is 0 in fp16, and this code runs in fp16 ` +
        `(${half.origin}). PyTorch's native kernels add eps in float32, but an ONNX export below ` +
        `opset 17 or a hand-written norm adds it in fp16, and a constant row then gives NaN.`,
      severity: 'info',
      related: [{ message: half.origin, range: half.range }],
      fixes,
    },
  ];
}

/** A tfjs epsilon below fp16's normal range in a file that forces half-float textures. */
function tfjsHits(site: NormSite, file: FileContext): RuleHit[] {
  const found = site.params['epsilon'];
  const eps = typeof found?.value === 'number' ? found.value : undefined;
  const dtypes = 'dtypes' in file ? (file as TfjsFileContext).dtypes : [];
  // A model.json layer dtype covers that layer only; in sources, float16 comes from the WebGL
  // half-float flags (tfjs layers have no float16 dtype), which cover every layer.
  const nodes = site.location.type === 'graph' ? site.location.nodes : [];
  const half = dtypes.find(
    (d) =>
      d.value === 'float16' && (d.nodes === undefined || d.nodes.some((n) => nodes.includes(n))),
  );
  if (eps === undefined || eps >= FP16_SMALLEST_NORMAL || !half) {
    return [];
  }
  return [
    {
      message:
        `${site.variant}: epsilon ${formatNumber(eps)} is ${formatNumber(roundToFp16(eps))} in ` +
        `fp16, and ${half.message}. WebGL shaders add epsilon at high precision, but stored ` +
        `variances below ${formatNumber(FP16_SMALLEST_NORMAL)} are subnormal in fp16.`,
      severity: 'info',
      related: [half],
      fixes: singleEditFix('Use epsilon 1e-3 (safe in fp16)', replaceLiteral(found, '1e-3'), true),
    },
  ];
}
