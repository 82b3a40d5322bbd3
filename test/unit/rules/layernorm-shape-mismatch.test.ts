import { layernormShapeMismatch } from '../../../src/core/rules/layernorm-shape-mismatch';
import { byDefault, literal, onnxInput, onnxSite, tfjsSite } from '../helpers/sites';
import { describeRule } from './cases';

const ln = (shape: readonly number[], scale: readonly number[], axis = -1) =>
  onnxSite(
    'LayerNormalization',
    { axis: axis === -1 ? byDefault(-1) : literal(axis) },
    { opVersion: 17, input: onnxInput(shape), scaleShape: scale },
  );

describeRule(layernormShapeMismatch, [
  {
    name: 'Scale [C] with axis=1 on NCHW, W ≠ C',
    site: ln([2, 8, 4, 5], [8], 1),
    expect: ['error'],
    messageHas: ['not broadcastable'],
  },
  {
    name: 'Scale [C] with axis=1 on NCHW, W = C: silently along W',
    site: ln([2, 8, 4, 8], [8], 1),
    expect: ['warning'],
    messageHas: ['scales along [8] of the last 1 dim(s)'],
  },
  { name: 'Scale [768] with axis=-1', site: ln([1, 128, 768], [768]), expect: [] },
  { name: 'Scale [C, H, W] with axis=1', site: ln([2, 8, 4, 4], [8, 4, 4], 1), expect: [] },
  { name: 'a deliberate per-position scale [H, W]', site: ln([2, 8, 4, 4], [4, 4], 1), expect: [] },
  { name: 'Scale [768] on 512 features', site: ln([1, 128, 512], [768]), expect: ['error'] },
  {
    name: 'tfjs layerNormalization over the batch axis',
    site: tfjsSite('layerNormalization', 'layernorm', { axis: literal([0, 1], '[0, 1]') }),
    expect: ['warning'],
    messageHas: ['batch axis 0'],
  },
  {
    name: 'tfjs layerNormalization default axis',
    site: tfjsSite('layerNormalization', 'layernorm', { axis: byDefault(-1) }),
    expect: [],
  },
]);
