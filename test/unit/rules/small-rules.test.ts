import { bnEpsNonpositive } from '../../../src/core/rules/bn-eps-nonpositive';
import { lazyNorm } from '../../../src/core/rules/lazy-norm';
import { lrnEvenSize } from '../../../src/core/rules/lrn-even-size';
import { byDefault, literal, onnxSite, pytorchSite, tfjsSite } from '../helpers/sites';
import { describeRule } from './cases';

describeRule(lrnEvenSize, [
  {
    name: 'LocalResponseNorm(4)',
    site: pytorchSite('LocalResponseNorm', { size: literal(4) }, { kind: 'lrn' }),
    expect: ['info'],
    messageHas: ['PyTorch sums 2 channel(s) before and 1 after, ONNX 1 before and 2 after'],
    fixes: ['Use size=3', 'Use size=5'],
    edits: ['3', '5'],
  },
  {
    name: 'LocalResponseNorm(5)',
    site: pytorchSite('LocalResponseNorm', { size: literal(5) }, { kind: 'lrn' }),
    expect: [],
  },
  {
    name: 'ONNX LRN size 2',
    site: onnxSite('LRN', { size: literal(2) }),
    expect: ['warning'],
    messageHas: ['rejects an even size'],
    fixes: [],
  },
  { name: 'ONNX LRN size 5', site: onnxSite('LRN', { size: literal(5) }), expect: [] },
]);

describeRule(bnEpsNonpositive, [
  {
    name: 'BatchNorm2d(eps=0)',
    site: pytorchSite('BatchNorm2d', { eps: literal(0) }),
    expect: ['error'],
    messageHas: ['eps must be positive'],
    fixes: ['Use eps=1e-5 (the default)'],
    edits: ['1e-5'],
  },
  {
    name: 'LayerNorm(eps=-1e-5)',
    site: pytorchSite('LayerNorm', { eps: literal(-1e-5, '-1e-5') }, { kind: 'layernorm' }),
    expect: ['error'],
    messageHas: ['√0'],
  },
  {
    name: 'BatchNorm2d default eps',
    site: pytorchSite('BatchNorm2d', { eps: byDefault(1e-5) }),
    expect: [],
  },
  {
    name: 'RMSNorm eps=None',
    site: pytorchSite('RMSNorm', { eps: byDefault(null) }, { kind: 'rmsnorm' }),
    expect: [],
  },
  {
    name: 'ONNX epsilon 0',
    site: onnxSite('BatchNormalization', { epsilon: literal(0) }),
    expect: ['error'],
    fixes: [],
  },
  {
    name: 'a decomposed fp16 epsilon of 0 is NORM007’s',
    site: onnxSite(
      'ReduceMean',
      { epsilon: literal(0) },
      {
        kind: 'layernorm',
        variant: 'decomposed LayerNorm',
        decomposed: true,
        epsilonType: 'float16',
      },
    ),
    expect: [],
  },
  {
    name: 'tfjs epsilon 0 gets the tfjs default',
    site: tfjsSite('batchNormalization', 'batchnorm', { epsilon: literal(0) }),
    expect: ['error'],
    edits: ['0.001'],
  },
]);

describeRule(lazyNorm, [
  {
    name: 'LazyBatchNorm2d',
    site: pytorchSite('LazyBatchNorm2d', {}),
    expect: ['hint'],
    messageHas: ['BatchNorm2d(num_features)'],
  },
  {
    name: 'LazyInstanceNorm1d',
    site: pytorchSite('LazyInstanceNorm1d', {}, { kind: 'instancenorm' }),
    expect: ['hint'],
  },
  { name: 'BatchNorm2d', site: pytorchSite('BatchNorm2d', {}), expect: [] },
]);
