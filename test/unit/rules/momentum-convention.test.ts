import { momentumConvention } from '../../../src/core/rules/momentum-convention';
import { byDefault, constant, literal, onnxSite, pytorchSite, tfjsSite } from '../helpers/sites';
import { describeRule } from './cases';

const bn = (momentum: ReturnType<typeof literal>) =>
  pytorchSite('BatchNorm2d', { num_features: literal(64), momentum });

describeRule(momentumConvention, [
  {
    name: 'PyTorch momentum=0.99 is a Keras value',
    site: bn(literal(0.99, '0.99')),
    expect: ['warning'],
    messageHas: ['momentum=0.99 in PyTorch', 'momentum weights the new batch', 'momentum=0.01'],
    fixes: ['Use momentum=0.01 (PyTorch convention)'],
    edits: ['0.01'],
  },
  {
    name: 'keeps a bare leading dot',
    site: bn(literal(0.9, '.9')),
    expect: ['warning'],
    edits: ['.1'],
  },
  {
    name: 'keeps three decimals',
    site: bn(literal(0.997, '0.997')),
    expect: ['warning'],
    edits: ['0.003'],
  },
  {
    name: 'keeps exponent form',
    site: bn(literal(0.9, '9e-1')),
    expect: ['warning'],
    edits: ['1e-1'],
  },
  {
    name: 'momentum is unused without running statistics (torch distributed tests)',
    site: pytorchSite('SyncBatchNorm', {
      momentum: literal(0.99),
      track_running_stats: literal(false, 'False'),
    }),
    expect: [],
  },
  { name: 'PyTorch default 0.1', site: bn(byDefault(0.1)), expect: [] },
  { name: 'PyTorch 0.01', site: bn(literal(0.01)), expect: [] },
  { name: 'PreciseBN momentum=1.0 is deliberate', site: bn(literal(1, '1.0')), expect: [] },
  {
    name: 'momentum=None (cumulative average) is valid',
    site: bn(literal(null, 'None')),
    expect: [],
  },
  { name: 'momentum=0 freezes the statistics on purpose', site: bn(literal(0)), expect: [] },
  {
    name: 'a constant is reported without an edit (other code may use it)',
    site: bn(constant(0.99, 'BN_MOMENTUM')),
    expect: ['warning'],
    fixes: [],
  },
  {
    name: 'tfjs momentum 0.1 is a PyTorch value',
    site: tfjsSite('batchNormalization', 'batchnorm', { momentum: literal(0.1) }),
    expect: ['warning'],
    messageHas: ['in TensorFlow.js', 'momentum weights the old value', 'momentum=0.9'],
    edits: ['0.9'],
  },
  {
    name: 'tfjs default 0.99',
    site: tfjsSite('batchNormalization', 'batchnorm', { momentum: byDefault(0.99) }),
    expect: [],
  },
  {
    name: 'ONNX training graph with momentum 0.1',
    site: onnxSite('BatchNormalization', { momentum: literal(0.1), training_mode: literal(1) }),
    expect: ['warning'],
    fixes: [],
  },
  {
    name: 'ONNX inference graph: momentum unused, so only info',
    site: onnxSite('BatchNormalization', { momentum: literal(0.1), training_mode: byDefault(0) }),
    expect: ['info'],
    messageHas: ['not in training mode'],
  },
  {
    name: 'ONNX exporter value 0.9',
    site: onnxSite('BatchNormalization', { momentum: literal(0.9) }),
    expect: [],
  },
  {
    name: 'InstanceNorm momentum is not checked',
    site: pytorchSite('InstanceNorm2d', { momentum: literal(0.99) }, { kind: 'instancenorm' }),
    expect: [],
  },
  {
    name: 'threshold is configurable',
    site: bn(literal(0.6)),
    thresholds: { boundary: 0.7 },
    expect: [],
  },
]);
