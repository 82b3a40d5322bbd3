import { biasBeforeBn } from '../../../src/core/rules/bias-before-bn';
import { bnChannelAxis } from '../../../src/core/rules/bn-channel-axis';
import { bnInSequenceModel } from '../../../src/core/rules/bn-in-sequence-model';
import { dropoutBeforeBn } from '../../../src/core/rules/dropout-before-bn';
import { epsTooSmallLowprec } from '../../../src/core/rules/eps-too-small-lowprec';
import { tfjsUnsupportedNormLayer } from '../../../src/core/rules/tfjs-unsupported-norm-layer';
import type { FileContext, TfjsFileContext } from '../../../src/core/index';
import {
  byDefault,
  lineRange,
  literal,
  pytorchSite,
  tfjsProducer,
  tfjsSite,
} from '../helpers/sites';
import { describeRule } from './cases';

const bnAfter = (producer = tfjsProducer('conv2d'), axis = byDefault(-1)) =>
  tfjsSite('batchNormalization', 'batchnorm', { axis, epsilon: byDefault(1e-3) }, { producer });

describeRule(biasBeforeBn, [
  {
    name: 'conv2d with the default useBias before batchNormalization',
    site: bnAfter(),
    expect: ['hint'],
    messageHas: ['conv2d adds a bias', '(Ioffe & Szegedy, 2015)', 'useBias: false'],
  },
  {
    name: 'dense before batchNormalization',
    site: bnAfter(tfjsProducer('Dense', { name: 'fc1' })),
    expect: ['hint'],
    messageHas: ["Dense 'fc1'"],
  },
  { name: 'useBias: false', site: bnAfter(tfjsProducer('conv2d', { useBias: false })), expect: [] },
  {
    name: 'channels-first conv with BN on axis -1 normalizes another axis (NORM024)',
    site: bnAfter(tfjsProducer('conv2d', { dataFormat: 'channelsFirst' })),
    expect: [],
  },
  {
    name: 'channels-first conv with BN on axis 1',
    site: bnAfter(tfjsProducer('Conv2D', { dataFormat: 'channels_first' }), literal(1)),
    expect: ['hint'],
  },
  {
    name: 'model.json axis [3] after a Conv2D is its channel axis',
    site: bnAfter(tfjsProducer('Conv2D'), literal([3], '[3]')),
    expect: ['hint'],
  },
  {
    name: 'axis 2 after a Conv2D is not the channel axis',
    site: bnAfter(tfjsProducer('Conv2D'), literal(2)),
    expect: [],
  },
  { name: 'activation before BN', site: bnAfter(tfjsProducer('activation')), expect: [] },
  {
    name: 'layerNormalization after a dense layer: the bias is not cancelled',
    site: tfjsSite(
      'layerNormalization',
      'layernorm',
      { axis: byDefault(-1) },
      { producer: tfjsProducer('dense') },
    ),
    expect: [],
  },
  {
    name: 'PyTorch needs producer context (not extracted yet)',
    site: pytorchSite('BatchNorm2d', {}),
    expect: [],
  },
]);

describeRule(bnChannelAxis, [
  {
    name: 'axis -1 after a channels-first conv',
    site: bnAfter(tfjsProducer('conv2d', { dataFormat: 'channelsFirst' }), literal(-1)),
    expect: ['warning'],
    messageHas: ['normalizes axis -1', 'Set axis: 1'],
    fixes: ['Normalize the channel axis (axis: 1)'],
    edits: ['1'],
  },
  {
    name: 'default axis: reported without an edit (no object text to insert into)',
    site: bnAfter(tfjsProducer('conv2d', { dataFormat: 'channelsFirst' })),
    expect: ['warning'],
    fixes: [],
  },
  {
    name: 'model.json axis [3] after a channels_first Conv2D',
    site: bnAfter(tfjsProducer('Conv2D', { dataFormat: 'channels_first' }), literal([3], '[3]')),
    expect: ['warning'],
    messageHas: ['normalizes axis 3'],
  },
  { name: 'channels-last conv', site: bnAfter(tfjsProducer('conv2d')), expect: [] },
  {
    name: 'axis 1 after a channels-first conv',
    site: bnAfter(tfjsProducer('conv2d', { dataFormat: 'channelsFirst' }), literal(1)),
    expect: [],
  },
]);

describeRule(dropoutBeforeBn, [
  {
    name: 'tfjs dropout → batchNormalization',
    site: bnAfter(tfjsProducer('dropout')),
    expect: ['warning'],
    messageHas: ['dropout feeds'],
  },
  {
    name: 'tfjs spatialDropout2d → batchNormalization',
    site: bnAfter(tfjsProducer('spatialDropout2d')),
    expect: ['warning'],
  },
]);

describeRule(bnInSequenceModel, [
  { name: 'tfjs lstm → batchNormalization', site: bnAfter(tfjsProducer('lstm')), expect: ['info'] },
  {
    name: 'tfjs SimpleRNN → BatchNormalization (model.json)',
    site: bnAfter(tfjsProducer('SimpleRNN')),
    expect: ['info'],
  },
  { name: 'tfjs conv1d → batchNormalization', site: bnAfter(tfjsProducer('conv1d')), expect: [] },
]);

describeRule(tfjsUnsupportedNormLayer, [
  {
    name: 'a Keras GroupNormalization layer',
    site: tfjsSite(
      'GroupNormalization',
      'groupnorm',
      {},
      { origin: 'layers-model', unsupportedClass: 'GroupNormalization' },
    ),
    expect: ['error'],
    messageHas: ['Unknown layer: GroupNormalization', 'registerClass'],
  },
  {
    name: 'a TF-Addons InstanceNormalization layer',
    site: tfjsSite(
      'InstanceNormalization',
      'instancenorm',
      {},
      { origin: 'layers-model', unsupportedClass: 'Addons>InstanceNormalization' },
    ),
    expect: ['error'],
  },
  {
    name: 'BatchNormalization loads',
    site: tfjsSite('BatchNormalization', 'batchnorm', {}, { origin: 'layers-model' }),
    expect: [],
  },
]);

const halfTextures: TfjsFileContext = {
  batchSizes: [],
  dtypes: [
    {
      value: 'float16',
      message: "tf.env().set('WEBGL_FORCE_F16_TEXTURES', true)",
      range: lineRange(2),
    },
  ],
};
const lnEps = (epsilon: ReturnType<typeof literal>) =>
  tfjsSite('layerNormalization', 'layernorm', { epsilon });

describeRule(epsTooSmallLowprec, [
  {
    name: 'tfjs epsilon 1e-5 with half-float textures',
    site: lnEps(literal(1e-5, '1e-5')),
    context: halfTextures,
    expect: ['info'],
    messageHas: ['epsilon 1e-5 is 1.00e-5 in fp16', 'WEBGL_FORCE_F16_TEXTURES'],
    fixes: ['Use epsilon 1e-3 (safe in fp16)'],
    edits: ['1e-3'],
  },
  {
    name: 'tfjs default epsilon 1e-3 with half-float textures',
    site: lnEps(byDefault(1e-3)),
    context: halfTextures,
    expect: [],
  },
  {
    name: 'tfjs epsilon 1e-5 without fp16 evidence',
    site: lnEps(literal(1e-5)),
    context: { batchSizes: [] } satisfies FileContext,
    expect: [],
  },
]);
