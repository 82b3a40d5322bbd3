import { normDegenerateReduction } from '../../../src/core/rules/norm-degenerate-reduction';
import { byDefault, literal, onnxInput, onnxSite, pytorchSite } from '../helpers/sites';
import { describeRule } from './cases';

describeRule(normDegenerateReduction, [
  {
    name: 'LayerNorm(1)',
    site: pytorchSite(
      'LayerNorm',
      { normalized_shape: literal(1), eps: byDefault(1e-5) },
      { kind: 'layernorm' },
    ),
    expect: ['error'],
    messageHas: ['over the last dim (1)', 'output is the bias'],
  },
  {
    name: 'LayerNorm([1, 1])',
    site: pytorchSite(
      'LayerNorm',
      { normalized_shape: literal([1, 1], '[1, 1]') },
      { kind: 'layernorm' },
    ),
    expect: ['error'],
  },
  {
    name: 'RMSNorm(1) keeps only the sign',
    site: pytorchSite('RMSNorm', { normalized_shape: literal(1) }, { kind: 'rmsnorm' }),
    expect: ['error'],
    messageHas: ['sign'],
  },
  {
    name: 'LayerNorm(768)',
    site: pytorchSite('LayerNorm', { normalized_shape: literal(768) }, { kind: 'layernorm' }),
    expect: [],
  },
  {
    name: 'InstanceNorm2d without a known shape',
    site: pytorchSite('InstanceNorm2d', { num_features: literal(64) }, { kind: 'instancenorm' }),
    expect: [],
  },
  {
    name: 'ONNX InstanceNormalization on 1×1 maps',
    site: onnxSite(
      'InstanceNormalization',
      { epsilon: byDefault(1e-5) },
      { input: onnxInput([2, 3, 1, 1]) },
    ),
    expect: ['error'],
    messageHas: ['H × W = 1 × 1 = 1 value'],
  },
  {
    name: 'ONNX InstanceNormalization on 7×7 maps',
    site: onnxSite('InstanceNormalization', {}, { input: onnxInput([2, 3, 7, 7]) }),
    expect: [],
  },
  {
    name: 'ONNX GroupNormalization with one channel per group on 1×1',
    site: onnxSite(
      'GroupNormalization',
      { num_groups: literal(8) },
      { input: onnxInput([1, 8, 1, 1]) },
    ),
    expect: ['error'],
  },
  {
    name: 'ONNX LayerNormalization over a last dim of 1',
    site: onnxSite('LayerNormalization', { axis: byDefault(-1) }, { input: onnxInput([2, 5, 1]) }),
    expect: ['error'],
  },
  {
    name: 'ONNX MeanVarianceNormalization over 1×1',
    site: onnxSite(
      'MeanVarianceNormalization',
      { axes: literal([2, 3]) },
      { input: onnxInput([2, 5, 1, 1]) },
    ),
    expect: ['error'],
  },
  {
    name: 'a dynamic spatial size is not judged',
    site: onnxSite('InstanceNormalization', {}, { input: onnxInput([2, 3, 'H', 'W']) }),
    expect: [],
  },
  {
    name: 'BatchNorm is NORM001’s case',
    site: onnxSite('BatchNormalization', {}, { input: onnxInput([1, 3, 1, 1]) }),
    expect: [],
  },
]);
