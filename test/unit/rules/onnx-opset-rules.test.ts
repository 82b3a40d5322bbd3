import { onnxBnTrainingMode } from '../../../src/core/rules/onnx-bn-training-mode';
import { onnxDecomposedLayernorm } from '../../../src/core/rules/onnx-decomposed-layernorm';
import { onnxGroupnormOpset18 } from '../../../src/core/rules/onnx-groupnorm-opset18';
import { ortOnlySimplifiedLn } from '../../../src/core/rules/ort-only-simplified-ln';
import { byDefault, literal, onnxInput, onnxSite } from '../helpers/sites';
import { describeRule } from './cases';

const gn18 = (scale?: number) =>
  onnxSite(
    'GroupNormalization',
    { num_groups: literal(2) },
    {
      opVersion: 18,
      opsetImport: 18,
      input: onnxInput([1, 8, 4, 4]),
      ...(scale ? { scaleShape: [scale] } : {}),
    },
  );

describeRule(onnxGroupnormOpset18, [
  {
    name: 'per-group scale at opset 18',
    site: gn18(2),
    expect: ['warning'],
    messageHas: ['per group (2)', 'convert_version(model, 21)'],
  },
  {
    name: 'per-channel scale at opset 18 fails at run time',
    site: gn18(8),
    expect: ['error'],
    messageHas: ['one value per channel (8)'],
  },
  { name: 'unknown scale at opset 18', site: gn18(), expect: ['warning'] },
  {
    name: 'GroupNormalization-21',
    site: onnxSite('GroupNormalization', { num_groups: literal(2) }, { scaleShape: [8] }),
    expect: [],
  },
]);

const decomposed = (variant: string, opsetImport: number) =>
  onnxSite('ReduceMean', {}, { kind: 'layernorm', variant, decomposed: true, opsetImport });

describeRule(onnxDecomposedLayernorm, [
  {
    name: 'decomposed LayerNorm at opset 13',
    site: decomposed('decomposed LayerNorm', 13),
    expect: ['info'],
    messageHas: ['opset_version ≥ 17'],
  },
  {
    name: 'decomposed LayerNorm at opset 18',
    site: decomposed('decomposed LayerNorm', 18),
    expect: ['hint'],
    messageHas: ['Re-export'],
  },
  {
    name: 'decomposed GroupNorm at opset 18',
    site: decomposed('decomposed GroupNorm', 18),
    expect: ['info'],
    messageHas: ['GroupNormalization (opset ≥ 21)'],
  },
  {
    name: 'decomposed RMSNorm at opset 23',
    site: decomposed('decomposed RMSNorm', 23),
    expect: ['hint'],
  },
  { name: 'native LayerNormalization', site: onnxSite('LayerNormalization', {}), expect: [] },
]);

describeRule(onnxBnTrainingMode, [
  {
    name: 'training_mode=1',
    site: onnxSite('BatchNormalization', { training_mode: literal(1) }, { outputCount: 3 }),
    expect: ['warning'],
    messageHas: ['training_mode=1'],
  },
  {
    name: 'opset 9 with 5 outputs',
    site: onnxSite('BatchNormalization', {}, { opVersion: 9, outputCount: 5 }),
    expect: ['warning'],
    messageHas: ['5 outputs'],
  },
  {
    name: 'inference BN',
    site: onnxSite('BatchNormalization', { training_mode: byDefault(0) }),
    expect: [],
  },
]);

describeRule(ortOnlySimplifiedLn, [
  {
    name: 'SimplifiedLayerNormalization in the default domain',
    site: onnxSite('SimplifiedLayerNormalization', {}, { opVersion: undefined, opsetImport: 14 }),
    expect: ['info'],
    messageHas: ['RMSNormalization (opset 23)'],
  },
  {
    name: 'LayerNormalization below opset 17',
    site: onnxSite('LayerNormalization', {}, { opVersion: undefined, opsetImport: 13 }),
    expect: ['info'],
    messageHas: ['at opset 13'],
  },
  {
    name: 'LayerNormalization at opset 17',
    site: onnxSite('LayerNormalization', {}, { opVersion: 17 }),
    expect: [],
  },
  {
    name: 'com.microsoft SimplifiedLayerNormalization is a contrib op, not this case',
    site: onnxSite(
      'SimplifiedLayerNormalization',
      {},
      { domain: 'com.microsoft', opVersion: undefined },
    ),
    expect: [],
  },
]);
