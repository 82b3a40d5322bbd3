import { epsTooSmallLowprec } from '../../../src/core/rules/eps-too-small-lowprec';
import { rmsnormDefaultEpsVersion } from '../../../src/core/rules/rmsnorm-default-eps-version';
import type { FileContext, PrecisionEvidence } from '../../../src/core/index';
import { byDefault, lineRange, literal, pytorchSite } from '../helpers/sites';
import { describeRule } from './cases';

const inPrecision = (value: PrecisionEvidence['value'], origin = 'model.half()'): FileContext => ({
  batchSizes: [],
  precision: [{ value, origin, message: origin, range: lineRange(30) }],
});
const fp16 = inPrecision('float16');
const bf16 = inPrecision('bfloat16', 'torch.autocast("cuda", dtype=torch.bfloat16)');
const ln = (eps: ReturnType<typeof literal>) =>
  pytorchSite('LayerNorm', { normalized_shape: literal(768), eps }, { kind: 'layernorm' });
const rms = (eps: ReturnType<typeof literal>) =>
  pytorchSite('RMSNorm', { normalized_shape: literal(512), eps }, { kind: 'rmsnorm' });

describeRule(epsTooSmallLowprec, [
  {
    name: 'LayerNorm(eps=1e-12) in a half-precision model',
    site: ln(literal(1e-12, '1e-12')),
    context: fp16,
    expect: ['info'],
    messageHas: ['eps=1e-12 is 0 in fp16', 'model.half()', 'below opset 17'],
    fixes: ['Use eps=1e-5', 'Use eps=1e-3'],
    edits: ['1e-5', '1e-3'],
  },
  {
    name: 'LayerNorm default eps 1e-5 in fp16 (subnormal, but native kernels upcast)',
    site: ln(byDefault(1e-5)),
    context: fp16,
    expect: [],
  },
  {
    name: 'LayerNorm(eps=1e-12) in bf16 (representable)',
    site: ln(literal(1e-12)),
    context: bf16,
    expect: [],
  },
  { name: 'LayerNorm(eps=1e-12) without precision evidence', site: ln(literal(1e-12)), expect: [] },
]);

describeRule(rmsnormDefaultEpsVersion, [
  {
    name: 'RMSNorm default eps in fp16',
    site: rms(byDefault(null)),
    context: fp16,
    expect: ['info'],
    messageHas: ['before the January 2025 fix use 9.77e-4', 'later ones 1.19e-7'],
    fixes: ['Pass eps=1e-6', 'Pass eps=1e-5'],
    edits: [', eps=1e-6', ', eps=1e-5'],
  },
  {
    name: 'RMSNorm eps=None written, in bf16',
    site: rms(literal(null, 'None')),
    context: bf16,
    expect: ['info'],
    messageHas: ['0.0078125'],
    edits: ['1e-6', '1e-5'],
  },
  { name: 'RMSNorm with an explicit eps', site: rms(literal(1e-6)), context: fp16, expect: [] },
  { name: 'RMSNorm default eps in float32 code', site: rms(byDefault(null)), expect: [] },
  {
    name: 'an eps behind **kwargs is unknown',
    site: rms({ value: null, source: 'unknown', expression: '**kw' }),
    context: fp16,
    expect: [],
  },
]);
