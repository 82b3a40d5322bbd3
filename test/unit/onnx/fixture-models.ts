/**
 * The committed generated fixtures (test/fixtures/onnx/generated and bad), defined once: the
 * generator script writes these bytes, and a test checks the committed files still match.
 */
import { Writer } from 'protobufjs/minimal';
import { externalTensor, FLOAT16, modelBytes, tensor, type NodeSpec } from './builder';
import {
  batchNorm,
  groupNormDecomposed,
  layerNormCastReciprocal,
  modelOf,
  rmsNorm,
  type Fragment,
} from './patterns';

const conv: Fragment = {
  nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'conv.w'], outputs: ['h'] }],
  initializers: [tensor('conv.w', [8, 8, 1, 1], new Array<number>(64).fill(0.125))],
};

const gn = (groups: number, scale: number): NodeSpec => ({
  op: 'GroupNormalization',
  name: 'gn',
  inputs: ['x', `s${scale}`, `b${scale}`],
  outputs: ['y'],
  attrs: { num_groups: { i: groups } },
});

const contrib: NodeSpec[] = [
  {
    op: 'SkipLayerNormalization',
    name: 'skip_ln',
    domain: 'com.microsoft',
    inputs: ['x', 'x', 'g'],
    outputs: ['a'],
  },
  {
    op: 'SkipSimplifiedLayerNormalization',
    name: 'skip_rms',
    domain: 'com.microsoft',
    inputs: ['a', 'x', 'g'],
    outputs: ['b'],
  },
  {
    op: 'SimplifiedLayerNormalization',
    name: 'rms',
    inputs: ['b', 'g'],
    outputs: ['c'],
    attrs: { epsilon: { f: 1e-6 } },
  },
  {
    op: 'GroupNorm',
    name: 'ms_gn',
    domain: 'com.microsoft',
    inputs: ['c', 'g', 'g'],
    outputs: ['y'],
    attrs: { groups: { i: 2 }, activation: { i: 0 } },
  },
];

/** A model whose graph's first node has an input field with wire type 6. */
function wrongWireType(): Uint8Array {
  const node = Writer.create()
    .uint32((1 << 3) | 6)
    .finish();
  const graph = Writer.create()
    .uint32((1 << 3) | 2)
    .bytes(node)
    .finish();
  return Writer.create()
    .uint32(0x08)
    .int64(8)
    .uint32((7 << 3) | 2)
    .bytes(graph)
    .finish();
}

/** Every committed generated fixture, by path relative to test/fixtures/onnx. */
export function fixtureModels(): Map<string, Uint8Array> {
  const bn = batchNorm('h', 'y', 8);
  const stats = batchNorm(
    'x',
    'y',
    8,
    {},
    {
      var: [1, -0.5, 0, 2, Number.NaN, 1, 1, 1],
      scale: [1, 0, 1, 1, 1, 1, 1e-6, 1],
    },
  );
  const full = modelBytes(modelOf(13, layerNormCastReciprocal('x', 'y', 1e-5)));
  return new Map([
    ['generated/conv_bn_unfused_op15.onnx', modelBytes(modelOf(15, conv, bn))],
    ['generated/bn_bad_stats_op15.onnx', modelBytes(modelOf(15, stats))],
    [
      'generated/groupnorm18_per_group.onnx',
      modelBytes({
        ...modelOf(18, gn(2, 2)),
        initializers: [tensor('s2', [2], [1, 2]), tensor('b2', [2], [0, 0])],
      }),
    ],
    [
      'generated/groupnorm21_per_channel.onnx',
      modelBytes({
        ...modelOf(21, gn(2, 8)),
        initializers: [
          tensor('s8', [8], new Array<number>(8).fill(1)),
          tensor('b8', [8], new Array<number>(8).fill(0)),
        ],
      }),
    ],
    [
      'generated/groupnorm_decomposed_g4.onnx',
      modelBytes(modelOf(13, groupNormDecomposed('x', 'y', 4, 8))),
    ],
    ['generated/layernorm_cast_reciprocal_op13.onnx', full],
    [
      'generated/rmsnorm_fp16_eps_op18.onnx',
      modelBytes(modelOf(18, rmsNorm('x', 'y', 1e-6, FLOAT16))),
    ],
    [
      'generated/contrib_ops.onnx',
      modelBytes({
        ...modelOf({ '': 14, 'com.microsoft': 1 }, ...contrib),
        initializers: [tensor('g', [8], new Array<number>(8).fill(1))],
      }),
    ],
    [
      'generated/external_data.onnx',
      modelBytes({
        ...modelOf(15, {
          op: 'LayerNormalization',
          name: 'ln',
          inputs: ['x', 'ln.w'],
          outputs: ['y'],
        }),
        opset: 17,
        initializers: [externalTensor('ln.w', [4], 'external_data.bin', 0, 16)],
      }),
    ],
    ['generated/external_data.bin', new Uint8Array(new Float32Array([1, 0.5, 0.25, 0]).buffer)],
    ['bad/truncated.onnx', full.subarray(0, Math.floor(full.length / 2))],
    ['bad/not_onnx.onnx', new TextEncoder().encode('{"modelTopology": {}}\n')],
    ['bad/wrong_wire_type.onnx', wrongWireType()],
    [
      'bad/external_traversal.onnx',
      modelBytes({
        ...modelOf(17, {
          op: 'LayerNormalization',
          name: 'ln',
          inputs: ['x', 'ln.w'],
          outputs: ['y'],
        }),
        initializers: [externalTensor('ln.w', [4], '../../secret.bin', 0, 16)],
      }),
    ],
  ]);
}
