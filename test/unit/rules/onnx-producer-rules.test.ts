import { biasBeforeBn } from '../../../src/core/rules/bias-before-bn';
import { bnInSequenceModel } from '../../../src/core/rules/bn-in-sequence-model';
import { bnNoRunningStatsAtInference } from '../../../src/core/rules/bn-no-running-stats-at-inference';
import { dropoutBeforeBn } from '../../../src/core/rules/dropout-before-bn';
import { onnxBnUnfused } from '../../../src/core/rules/onnx-bn-unfused';
import { literal, onnxSite, pytorchSite } from '../helpers/sites';
import { describeRule } from './cases';

const bnAfter = (op: string, extra = {}) =>
  onnxSite(
    'BatchNormalization',
    {},
    { producer: { node: `${op}_7`, op, outputChannels: undefined }, ...extra },
  );

describeRule(dropoutBeforeBn, [
  {
    name: 'Dropout → BatchNormalization',
    site: bnAfter('Dropout'),
    expect: ['warning'],
    messageHas: ["Dropout 'Dropout_7'", '(Li et al., 2019)'],
  },
  { name: 'Conv → BatchNormalization', site: bnAfter('Conv'), expect: [] },
  {
    name: 'Dropout → LayerNormalization',
    site: onnxSite(
      'LayerNormalization',
      {},
      { producer: { node: 'd', op: 'Dropout', outputChannels: undefined } },
    ),
    expect: [],
  },
  {
    name: 'PyTorch needs dataflow context (not extracted yet)',
    site: pytorchSite('BatchNorm1d', {}),
    expect: [],
  },
]);

describeRule(bnInSequenceModel, [
  {
    name: 'LSTM → BatchNormalization',
    site: bnAfter('LSTM'),
    expect: ['info'],
    messageHas: ["LSTM 'LSTM_7'", '(Shen et al., 2020)', '(Ba et al., 2016)'],
  },
  { name: 'GRU → BatchNormalization', site: bnAfter('GRU'), expect: ['info'] },
  {
    name: 'Conformer’s convolution module (Conv → BatchNormalization) is deliberate',
    site: bnAfter('Conv'),
    expect: [],
  },
  {
    name: 'LSTM → LayerNormalization is the recommended form',
    site: onnxSite(
      'LayerNormalization',
      {},
      { producer: { node: 'l', op: 'LSTM', outputChannels: undefined } },
    ),
    expect: [],
  },
]);

describeRule(onnxBnUnfused, [
  {
    name: 'inference BN after a Conv with constant parameters',
    site: bnAfter('Conv', { foldableInto: 'Conv_7' }),
    expect: ['hint'],
    messageHas: ["folds into Conv's weights"],
  },
  {
    name: 'not foldable (training, shared output, computed statistics)',
    site: bnAfter('Conv'),
    expect: [],
  },
]);

const training = { training_mode: literal(1) };
const biasedConv = (hasBias: boolean) => ({
  producer: { node: 'Conv_3', op: 'Conv', outputChannels: 8, hasBias },
});

describeRule(biasBeforeBn, [
  {
    name: 'Conv with a bias → BatchNormalization(training_mode=1)',
    site: onnxSite('BatchNormalization', training, biasedConv(true)),
    expect: ['hint'],
    messageHas: ["Conv 'Conv_3' adds a bias", 'training_mode=1'],
  },
  {
    name: 'Gemm with a C input → training BatchNormalization',
    site: onnxSite('BatchNormalization', training, {
      producer: { node: 'Gemm_1', op: 'Gemm', outputChannels: 8, hasBias: true },
    }),
    expect: ['hint'],
  },
  {
    name: 'a Conv without a bias input',
    site: onnxSite('BatchNormalization', training, biasedConv(false)),
    expect: [],
  },
  {
    name: 'an inference graph (the bias folds; onnx-bn-unfused covers it)',
    site: onnxSite('BatchNormalization', { training_mode: literal(0) }, biasedConv(true)),
    expect: [],
  },
  {
    name: 'GroupNormalization after a biased Conv (not cancelled)',
    site: onnxSite('GroupNormalization', training, biasedConv(true)),
    expect: [],
  },
]);

describeRule(bnNoRunningStatsAtInference, [
  {
    name: 'inference BatchNormalization with a mean computed by ReduceMean',
    site: onnxSite('BatchNormalization', {}, { statsComputedBy: 'ReduceMean_4' }),
    expect: ['warning'],
    messageHas: ["computed in the graph (by 'ReduceMean_4')", 'track_running_stats=True'],
  },
  {
    name: 'constant running statistics',
    site: onnxSite('BatchNormalization', {}, {}),
    expect: [],
  },
  {
    name: 'a training-mode graph (onnx-bn-training-mode reports it)',
    site: onnxSite('BatchNormalization', training, { statsComputedBy: 'ReduceMean_4' }),
    expect: [],
  },
]);
