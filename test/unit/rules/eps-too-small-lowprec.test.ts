import { epsTooSmallLowprec } from '../../../src/core/rules/eps-too-small-lowprec';
import { byDefault, literal, onnxInput, onnxSite, pytorchSite } from '../helpers/sites';
import { describeRule } from './cases';

const decomposed = (epsilon: number, epsilonType: string) =>
  onnxSite(
    'ReduceMean',
    { epsilon: { value: epsilon, source: 'constant', expression: 'eps_const' } },
    { kind: 'layernorm', variant: 'decomposed LayerNorm', decomposed: true, epsilonType },
  );
const fp16 = onnxInput([1, 128, 768], 'float16');

describeRule(epsTooSmallLowprec, [
  {
    name: 'a decomposed fp16 LayerNorm whose epsilon constant holds 0',
    site: decomposed(0, 'float16'),
    expect: ['error'],
    messageHas: [
      'the fp16 epsilon constant holds 0 (anything below 2.98e-8 rounds to 0)',
      '0/0 = NaN',
    ],
  },
  {
    name: 'a subnormal fp16 epsilon (1e-5)',
    site: decomposed(1.0013580322265625e-5, 'float16'),
    expect: ['warning'],
    messageHas: ['constant holds 1.00e-5', 'subnormal', 'flush-to-zero'],
  },
  { name: 'a normal fp16 epsilon (1e-3)', site: decomposed(1e-3, 'float16'), expect: [] },
  { name: 'a float32 epsilon constant', site: decomposed(1e-12, 'float'), expect: [] },
  {
    name: 'a bf16 epsilon only informs',
    site: decomposed(1e-5, 'bfloat16'),
    expect: ['info'],
    messageHas: ['bfloat16'],
  },
  {
    name: 'GroupNormalization-18 casts epsilon to fp16',
    site: onnxSite(
      'GroupNormalization',
      { epsilon: literal(1e-8), num_groups: literal(2) },
      { opVersion: 18, input: fp16 },
    ),
    expect: ['error'],
    messageHas: ['epsilon 1e-8 is 0 in fp16'],
  },
  {
    name: 'LayerNormalization with float32 statistics (stash_type=1) is safe',
    site: onnxSite(
      'LayerNormalization',
      { epsilon: literal(1e-12), stash_type: byDefault(1) },
      { opVersion: 17, input: fp16 },
    ),
    expect: [],
  },
  {
    name: 'LayerNormalization with fp16 statistics',
    site: onnxSite(
      'LayerNormalization',
      { epsilon: literal(1e-12), stash_type: literal(10) },
      { opVersion: 17, input: fp16 },
    ),
    expect: ['error'],
  },
  {
    name: 'ORT SkipLayerNormalization adds eps in float32: info only',
    site: onnxSite(
      'SkipLayerNormalization',
      { epsilon: byDefault(1e-12) },
      { domain: 'com.microsoft', input: fp16 },
    ),
    expect: ['info'],
    messageHas: ['adds it in float32'],
  },
  {
    name: 'BatchNormalization computes statistics in float (not flagged)',
    site: onnxSite('BatchNormalization', { epsilon: literal(1e-12) }, { input: fp16 }),
    expect: [],
  },
  {
    name: 'PyTorch needs precision evidence (not extracted yet)',
    site: pytorchSite('LayerNorm', { eps: literal(1e-12) }, { kind: 'layernorm' }),
    expect: [],
  },
]);
