import { lrnAlphaConvention } from '../../../src/core/rules/lrn-alpha-convention';
import { byDefault, literal, onnxSite, pytorchSite, tfjsSite } from '../helpers/sites';
import { describeRule } from './cases';

const tfLrn = (alpha: ReturnType<typeof literal>, depthRadius = byDefault(5)) =>
  tfjsSite('tf.localResponseNormalization', 'lrn', {
    depthRadius,
    alpha,
    beta: byDefault(0.5),
    bias: byDefault(1),
  });

describeRule(lrnAlphaConvention, [
  {
    name: 'tfjs alpha 1e-4 is also AlexNet’s value in TF’s own formula: not flagged',
    site: tfLrn(literal(1e-4, '1e-4'), literal(2)),
    expect: [],
  },
  { name: 'tfjs default alpha 1', site: tfLrn(byDefault(1)), expect: [] },
  { name: 'tfjs alpha 2e-5 (already converted)', site: tfLrn(literal(2e-5)), expect: [] },
  {
    name: 'PyTorch LocalResponseNorm with TF’s defaults alpha=1, beta=0.5',
    site: pytorchSite(
      'LocalResponseNorm',
      { size: literal(5), alpha: literal(1), beta: literal(0.5) },
      { kind: 'lrn' },
    ),
    expect: ['info'],
    messageHas: ["TF's alpha=1 is alpha=5 here"],
    edits: ['5'],
  },
  {
    name: 'PyTorch defaults',
    site: pytorchSite(
      'LocalResponseNorm',
      { size: literal(5), alpha: byDefault(1e-4), beta: byDefault(0.75) },
      { kind: 'lrn' },
    ),
    expect: [],
  },
  {
    name: 'ONNX LRN with TF’s defaults',
    site: onnxSite('LRN', { size: literal(3), alpha: literal(1), beta: literal(0.5) }),
    expect: ['info'],
    messageHas: ['divided by 3'],
    fixes: [],
  },
]);
