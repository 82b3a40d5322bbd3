import { bnInSequenceModel } from '../../../src/core/rules/bn-in-sequence-model';
import { dropoutBeforeBn } from '../../../src/core/rules/dropout-before-bn';
import { onnxBnUnfused } from '../../../src/core/rules/onnx-bn-unfused';
import { onnxSite, pytorchSite } from '../helpers/sites';
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
