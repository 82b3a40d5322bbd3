import { normFeaturesMismatch } from '../../../src/core/rules/norm-features-mismatch';
import { byDefault, literal, onnxInput, onnxSite, pytorchSite } from '../helpers/sites';
import { describeRule } from './cases';

const conv = { node: 'conv1', op: 'Conv', outputChannels: 64 };

describeRule(normFeaturesMismatch, [
  {
    name: 'BN scale of 32 on 64 input channels',
    site: onnxSite('BatchNormalization', {}, { input: onnxInput([1, 64, 8, 8]), scaleShape: [32] }),
    expect: ['error'],
    messageHas: ['scale has 32 values', '64 channels'],
  },
  {
    name: 'BN scale against the Conv producer when the shape is unknown',
    site: onnxSite('BatchNormalization', {}, { producer: conv, scaleShape: [48] }),
    expect: ['error'],
    messageHas: ["Conv 'conv1' has 64 channels"],
  },
  {
    name: 'matching BN',
    site: onnxSite(
      'BatchNormalization',
      {},
      { input: onnxInput([1, 64, 8, 8]), producer: conv, scaleShape: [64] },
    ),
    expect: [],
  },
  {
    name: 'BN-6 with spatial=0 has per-element parameters',
    site: onnxSite(
      'BatchNormalization',
      { spatial: literal(0) },
      { input: onnxInput([1, 4, 2, 2]), scaleShape: [16], opVersion: 7 },
    ),
    expect: [],
  },
  {
    name: 'InstanceNormalization scale length',
    site: onnxSite(
      'InstanceNormalization',
      {},
      { input: onnxInput([1, 3, 8, 8]), scaleShape: [4] },
    ),
    expect: ['error'],
  },
  {
    name: 'GroupNormalization-21 wants one value per channel',
    site: onnxSite(
      'GroupNormalization',
      { num_groups: literal(2) },
      { input: onnxInput([1, 8, 4, 4]), scaleShape: [2] },
    ),
    expect: ['error'],
  },
  {
    name: 'GroupNormalization-18 per group is fine here (NORM012 explains it)',
    site: onnxSite(
      'GroupNormalization',
      { num_groups: literal(2) },
      { input: onnxInput([1, 8, 4, 4]), scaleShape: [2], opVersion: 18 },
    ),
    expect: [],
  },
  {
    name: 'GroupNormalization-18 with neither G nor C values',
    site: onnxSite(
      'GroupNormalization',
      { num_groups: literal(2) },
      { input: onnxInput([1, 8, 4, 4]), scaleShape: [3], opVersion: 18 },
    ),
    expect: ['error'],
  },
  {
    name: 'a dynamic channel dim without a producer is unknown',
    site: onnxSite(
      'BatchNormalization',
      {},
      { input: onnxInput(['N', 'C', 8, 8]), scaleShape: [32] },
    ),
    expect: [],
  },
  {
    name: 'PyTorch sites need producer context (not extracted yet)',
    site: pytorchSite('BatchNorm2d', { num_features: literal(64), eps: byDefault(1e-5) }),
    expect: [],
  },
]);
