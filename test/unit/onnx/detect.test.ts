import assert from 'node:assert/strict';
import type { ParamValue } from '../../../src/core/model';
import { detectNormSites, type OnnxNormSite } from '../../../src/core/onnx/index';
import { constant, graph, tensor, type ModelSpec, type NodeSpec } from './builder';
import { readFixture, readSpec } from './helpers';
import {
  batchNorm,
  modelOf,
  FLOAT16,
  groupNormDecomposed,
  layerNormCastReciprocal,
  layerNormMoments,
  layerNormPow,
  rmsNorm,
  type Fragment,
} from './patterns';

const f32 = Math.fround;

async function sitesOf(spec: ModelSpec): Promise<OnnxNormSite[]> {
  return detectNormSites(await readSpec(spec));
}

/** Effective parameter values and their provenance, e.g. `{ epsilon: [1e-5, 'default'] }`. */
function params(site: OnnxNormSite | undefined): Record<string, [ParamValue, string]> {
  assert.ok(site, 'a site was found');
  return Object.fromEntries(Object.entries(site.params).map(([k, p]) => [k, [p.value, p.source]]));
}

function one(sites: readonly OnnxNormSite[]): OnnxNormSite {
  assert.equal(sites.length, 1, `expected one site, got ${sites.map((s) => s.variant).join(', ')}`);
  return sites[0]!;
}

const op = (
  opType: string,
  inputs: string[],
  attrs: NodeSpec['attrs'] = {},
  domain = '',
  outputs = ['y'],
): NodeSpec => ({
  op: opType,
  name: 'n',
  inputs,
  outputs,
  domain,
  attrs,
});

describe('onnx detection: native ops', () => {
  const cases: readonly {
    name: string;
    spec: ModelSpec;
    kind: string;
    variant: string;
    version: number | undefined;
    params: Record<string, [ParamValue, string]>;
  }[] = [
    {
      name: 'BatchNormalization-15 with every attribute defaulted',
      spec: modelOf(15, batchNorm('x', 'y', 8)),
      kind: 'batchnorm',
      variant: 'BatchNormalization',
      version: 15,
      params: {
        epsilon: [1e-5, 'default'],
        momentum: [0.9, 'default'],
        training_mode: [0, 'default'],
      },
    },
    {
      name: 'BatchNormalization-14 in training mode',
      spec: modelOf(14, batchNorm('x', 'y', 8, { training_mode: { i: 1 }, epsilon: { f: 1e-3 } })),
      kind: 'batchnorm',
      variant: 'BatchNormalization',
      version: 14,
      params: {
        epsilon: [f32(1e-3), 'literal'],
        momentum: [0.9, 'default'],
        training_mode: [1, 'literal'],
      },
    },
    {
      name: 'BatchNormalization-7 with the old spatial attribute',
      spec: modelOf(8, batchNorm('x', 'y', 8, { spatial: { i: 0 } })),
      kind: 'batchnorm',
      variant: 'BatchNormalization',
      version: 7,
      params: { epsilon: [1e-5, 'default'], momentum: [0.9, 'default'], spatial: [0, 'literal'] },
    },
    {
      name: 'BatchNormalization-6 with is_test',
      spec: modelOf(6, batchNorm('x', 'y', 8, { is_test: { i: 1 } })),
      kind: 'batchnorm',
      variant: 'BatchNormalization',
      version: 6,
      params: {
        epsilon: [1e-5, 'default'],
        momentum: [0.9, 'default'],
        is_test: [1, 'literal'],
        spatial: [1, 'default'],
      },
    },
    {
      name: 'BatchNormalization-9 (spatial removed)',
      spec: modelOf(11, batchNorm('x', 'y', 8, { momentum: { f: 0.99 } })),
      kind: 'batchnorm',
      variant: 'BatchNormalization',
      version: 9,
      params: { epsilon: [1e-5, 'default'], momentum: [f32(0.99), 'literal'] },
    },
    {
      name: 'InstanceNormalization',
      spec: modelOf(13, op('InstanceNormalization', ['x', 's', 'b'])),
      kind: 'instancenorm',
      variant: 'InstanceNormalization',
      version: 6,
      params: { epsilon: [1e-5, 'default'] },
    },
    {
      name: 'LayerNormalization-17',
      spec: modelOf(17, op('LayerNormalization', ['x', 's', 'b'], { epsilon: { f: 1e-6 } })),
      kind: 'layernorm',
      variant: 'LayerNormalization',
      version: 17,
      params: {
        axis: [-1, 'default'],
        epsilon: [f32(1e-6), 'literal'],
        stash_type: [1, 'default'],
      },
    },
    {
      name: "ONNX Runtime's LayerNormalization at opset 13",
      spec: modelOf(13, op('LayerNormalization', ['x', 's', 'b'], { axis: { i: 2 } })),
      kind: 'layernorm',
      variant: 'LayerNormalization (ONNX Runtime, opset 13)',
      version: undefined,
      params: { axis: [2, 'literal'], epsilon: [1e-5, 'default'], stash_type: [1, 'default'] },
    },
    {
      name: 'GroupNormalization at opset 20 uses the version-18 schema',
      spec: modelOf(20, op('GroupNormalization', ['x', 's', 'b'], { num_groups: { i: 2 } })),
      kind: 'groupnorm',
      variant: 'GroupNormalization-18',
      version: 18,
      params: { epsilon: [1e-5, 'default'], num_groups: [2, 'literal'] },
    },
    {
      name: 'GroupNormalization-21 adds stash_type',
      spec: modelOf(21, op('GroupNormalization', ['x', 's', 'b'], { num_groups: { i: 4 } })),
      kind: 'groupnorm',
      variant: 'GroupNormalization-21',
      version: 21,
      params: {
        epsilon: [1e-5, 'default'],
        num_groups: [4, 'literal'],
        stash_type: [1, 'default'],
      },
    },
    {
      name: 'GroupNormalization without num_groups',
      spec: modelOf(21, op('GroupNormalization', ['x', 's', 'b'])),
      kind: 'groupnorm',
      variant: 'GroupNormalization-21',
      version: 21,
      params: {
        epsilon: [1e-5, 'default'],
        num_groups: [null, 'unknown'],
        stash_type: [1, 'default'],
      },
    },
    {
      name: 'RMSNormalization-23',
      spec: modelOf(23, op('RMSNormalization', ['x', 's'], { epsilon: { f: 1e-6 } })),
      kind: 'rmsnorm',
      variant: 'RMSNormalization',
      version: 23,
      params: {
        axis: [-1, 'default'],
        epsilon: [f32(1e-6), 'literal'],
        stash_type: [1, 'default'],
      },
    },
    {
      name: 'LRN',
      spec: modelOf(13, op('LRN', ['x'], { size: { i: 5 }, beta: { f: 0.5 } })),
      kind: 'lrn',
      variant: 'LRN',
      version: 13,
      params: {
        size: [5, 'literal'],
        alpha: [1e-4, 'default'],
        beta: [0.5, 'literal'],
        bias: [1, 'default'],
      },
    },
    {
      name: 'MeanVarianceNormalization',
      spec: modelOf(13, op('MeanVarianceNormalization', ['x'])),
      kind: 'other',
      variant: 'MeanVarianceNormalization',
      version: 13,
      params: { axes: [[0, 2, 3], 'default'] },
    },
    {
      name: 'LpNormalization',
      spec: modelOf(13, op('LpNormalization', ['x'], { p: { i: 1 } })),
      kind: 'other',
      variant: 'LpNormalization',
      version: 1,
      params: { axis: [-1, 'default'], p: [1, 'literal'] },
    },
    {
      name: 'com.microsoft SkipLayerNormalization (eps 1e-12 by default)',
      spec: modelOf(
        { '': 13, 'com.microsoft': 1 },
        op('SkipLayerNormalization', ['x', 'skip', 'g', 'b'], {}, 'com.microsoft'),
      ),
      kind: 'layernorm',
      variant: 'SkipLayerNormalization',
      version: undefined,
      params: { epsilon: [1e-12, 'default'] },
    },
    {
      name: 'com.microsoft SkipSimplifiedLayerNormalization',
      spec: modelOf(
        { '': 13, 'com.microsoft': 1 },
        op(
          'SkipSimplifiedLayerNormalization',
          ['x', 'skip', 'g'],
          { epsilon: { f: 1e-6 } },
          'com.microsoft',
        ),
      ),
      kind: 'rmsnorm',
      variant: 'SkipSimplifiedLayerNormalization',
      version: undefined,
      params: { epsilon: [f32(1e-6), 'literal'] },
    },
    {
      name: "ONNX Runtime's SimplifiedLayerNormalization in the default domain",
      spec: modelOf(14, op('SimplifiedLayerNormalization', ['x', 'g'])),
      kind: 'rmsnorm',
      variant: 'SimplifiedLayerNormalization (ONNX Runtime, opset 14)',
      version: undefined,
      params: { axis: [-1, 'default'], epsilon: [1e-5, 'default'], stash_type: [1, 'default'] },
    },
    {
      name: 'com.microsoft GroupNorm (NHWC by default)',
      spec: modelOf(
        { '': 13, 'com.microsoft': 1 },
        op(
          'GroupNorm',
          ['x', 'g', 'b'],
          { groups: { i: 32 }, activation: { i: 1 } },
          'com.microsoft',
        ),
      ),
      kind: 'groupnorm',
      variant: 'GroupNorm',
      version: undefined,
      params: {
        epsilon: [1e-5, 'default'],
        groups: [32, 'literal'],
        activation: [1, 'literal'],
        channels_last: [1, 'default'],
      },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const site = one(await sitesOf(c.spec));
      assert.equal(site.kind, c.kind);
      assert.equal(site.variant, c.variant);
      assert.equal(site.framework, 'onnx');
      assert.equal(site.context.opVersion, c.version);
      assert.equal(site.context.decomposed, false);
      assert.deepEqual(params(site), c.params);
      assert.deepEqual(site.context.input, { name: 'x', dtype: 'float', shape: ['N', 8, 4, 4] });
    });
  }

  it('ignores ops of the same name in other domains', async () => {
    assert.deepEqual(
      await sitesOf(modelOf({ '': 15, custom: 1 }, op('BatchNormalization', ['x'], {}, 'custom'))),
      [],
    );
  });

  it('records training-mode outputs, tensors by role and the scale shape', async () => {
    const bn = batchNorm('x', 'y', 8, { training_mode: { i: 1 } });
    const node = bn.nodes[0];
    assert.ok(node);
    const site = one(
      await sitesOf(
        modelOf(15, {
          nodes: [{ ...node, outputs: ['y', 'rm', 'rv'] }],
          initializers: bn.initializers,
        }),
      ),
    );
    assert.equal(site.context.outputCount, 3);
    assert.deepEqual(site.context.tensors, {
      scale: 'bn.weight',
      bias: 'bn.bias',
      mean: 'bn.running_mean',
      var: 'bn.running_var',
    });
    assert.deepEqual(site.context.scaleShape, [8]);
    assert.deepEqual(site.context.attributes, { training_mode: 1 });
  });
});

describe('onnx detection: unfused producer → BatchNormalization', () => {
  const conv = (opType: string, weightDims: number[], attrs: NodeSpec['attrs'] = {}): Fragment => ({
    nodes: [{ op: opType, name: 'producer', inputs: ['x', 'w'], outputs: ['h'], attrs }],
    initializers: [
      tensor('w', weightDims, new Array<number>(weightDims.reduce((a, b) => a * b, 1)).fill(0.1)),
    ],
  });
  const cases: readonly [string, Fragment, number][] = [
    ['Conv', conv('Conv', [8, 8, 3, 3]), 8],
    ['ConvTranspose', conv('ConvTranspose', [8, 4, 3, 3], { group: { i: 2 } }), 8],
    ['Gemm', conv('Gemm', [8, 16], { transB: { i: 1 } }), 8],
  ];
  for (const [name, producer, channels] of cases) {
    it(`${name} → BatchNormalization is one site listing both nodes`, async () => {
      const site = one(await sitesOf(modelOf(15, producer, batchNorm('h', 'y', channels))));
      assert.equal(site.variant, `BatchNormalization after ${name} (unfused)`);
      assert.deepEqual(site.location.nodes, ['producer', 'bn']);
      assert.equal(site.context.foldableInto, 'producer');
      assert.deepEqual(site.context.producer, {
        node: 'producer',
        op: name,
        outputChannels: channels,
        hasBias: false,
      });
    });
  }

  it('does not pair a Conv whose output is also used elsewhere, nor a training-mode BN', async () => {
    const shared = one(
      await sitesOf(
        modelOf(
          15,
          conv('Conv', [8, 8, 3, 3]),
          batchNorm('h', 'y', 8),
          op('Relu', ['h'], {}, '', ['r']),
        ),
      ),
    );
    assert.equal(shared.variant, 'BatchNormalization');
    assert.deepEqual(shared.location.nodes, ['bn']);
    const training = one(
      await sitesOf(
        modelOf(
          15,
          conv('Conv', [8, 8, 3, 3]),
          batchNorm('h', 'y', 8, { training_mode: { i: 1 } }),
        ),
      ),
    );
    assert.equal(training.context.foldableInto, undefined);
  });
});

describe('onnx detection: decomposed patterns', () => {
  it('LayerNorm (Pow, Div, Constant eps) is one site with every node and the eps of the Add', async () => {
    const site = one(await sitesOf(modelOf(13, layerNormPow('x', 'y', 1e-5))));
    assert.equal(site.kind, 'layernorm');
    assert.equal(site.variant, 'decomposed LayerNorm');
    assert.deepEqual(site.location.nodes, [
      'rm1',
      'sub',
      'const_two',
      'pow',
      'rm2',
      'const_eps',
      'add_eps',
      'sqrt',
      'div',
      'mul_gamma',
      'add_beta',
    ]);
    assert.deepEqual(params(site), {
      epsilon: [f32(1e-5), 'constant'],
      axes: [[-1], 'literal'],
      elementwise_affine: [true, 'literal'],
      bias: [true, 'literal'],
    });
    assert.equal(site.params['epsilon']?.expression, 'eps');
    assert.deepEqual(site.context.tensors, { scale: 'gamma', bias: 'beta' });
    assert.equal(site.context.decomposed, true);
    assert.equal(site.context.opsetImport, 13);
  });

  it('is not fooled by a mean and a variance over different axes', async () => {
    const fragment = layerNormPow('x', 'y', 1e-5);
    const nodes = fragment.nodes.map((n) =>
      n.name === 'rm1' ? { ...n, attrs: { axes: { ints: [1] } } } : n,
    );
    assert.deepEqual(
      await sitesOf(modelOf(13, { nodes, initializers: fragment.initializers })),
      [],
    );
  });

  it('LayerNorm with Casts, Mul(d,d), Reciprocal·Mul and axes as an input', async () => {
    const site = one(await sitesOf(modelOf(18, layerNormCastReciprocal('x', 'y', 1e-12))));
    assert.equal(site.variant, 'decomposed LayerNorm');
    assert.deepEqual([...site.location.nodes].sort(), [
      'add_eps',
      'cast_in',
      'cast_out',
      'mul_gamma',
      'mul_inv',
      'recip',
      'rm1',
      'rm2',
      'sqrt',
      'square',
      'sub',
    ]);
    assert.deepEqual(params(site), {
      epsilon: [f32(1e-12), 'constant'],
      axes: [[-1], 'literal'],
      elementwise_affine: [true, 'literal'],
      bias: [false, 'literal'],
    });
  });

  it('LayerNorm in the E[x²] − E[x]² form', async () => {
    const site = one(await sitesOf(modelOf(13, layerNormMoments('x', 'y', 1e-6))));
    assert.equal(site.variant, 'decomposed LayerNorm');
    assert.deepEqual([...site.location.nodes].sort(), [
      'add_eps',
      'center',
      'div',
      'mean_sq',
      'mean_x',
      'mean_xsq',
      'sqrt',
      'var',
      'x_sq',
    ]);
    assert.equal(site.params['epsilon']?.value, f32(1e-6));
    assert.equal(site.params['elementwise_affine']?.value, false);
  });

  it('RMSNorm (Pow, ReduceMean, Add, Sqrt, Reciprocal, Mul, Mul) with an fp16 eps', async () => {
    const site = one(await sitesOf(modelOf(18, rmsNorm('x', 'y', 1e-6, FLOAT16))));
    assert.equal(site.kind, 'rmsnorm');
    assert.equal(site.variant, 'decomposed RMSNorm');
    assert.deepEqual(site.location.nodes, [
      'const_two',
      'pow',
      'rm',
      'add_eps',
      'sqrt',
      'recip',
      'mul_inv',
      'mul_gamma',
    ]);
    assert.equal(site.context.epsilonType, 'float16');
    // 1e-6 is subnormal in fp16: the stored value is the nearest multiple of 2^-24.
    assert.equal(site.params['epsilon']?.value, Math.round(1e-6 / 2 ** -24) * 2 ** -24);
    assert.deepEqual(site.context.tensors, { scale: 'weight' });
  });

  it('RMSNorm the Llama way: Cast to float, Div(1, Sqrt), Cast back, weight first', async () => {
    const site = one(
      await sitesOf(
        modelOf(
          17,
          { op: 'Cast', name: 'up', inputs: ['x'], outputs: ['x32'], attrs: { to: { i: 1 } } },
          constant('two', [], [2]),
          { op: 'Pow', name: 'pow', inputs: ['x32', 'two'], outputs: ['sq'] },
          {
            op: 'ReduceMean',
            name: 'rm',
            inputs: ['sq'],
            outputs: ['ms'],
            attrs: { axes: { ints: [-1] } },
          },
          constant('eps', [], [1e-6]),
          { op: 'Add', name: 'add_eps', inputs: ['ms', 'eps'], outputs: ['v'] },
          { op: 'Sqrt', name: 'sqrt', inputs: ['v'], outputs: ['rms'] },
          constant('one', [], [1]),
          { op: 'Div', name: 'inv', inputs: ['one', 'rms'], outputs: ['inv'] },
          { op: 'Mul', name: 'scale', inputs: ['x32', 'inv'], outputs: ['n32'] },
          { op: 'Cast', name: 'down', inputs: ['n32'], outputs: ['n'], attrs: { to: { i: 10 } } },
          { op: 'Mul', name: 'weight', inputs: ['w', 'n'], outputs: ['y'] },
          { nodes: [], initializers: [tensor('w', [16], new Array<number>(16).fill(1))] },
        ),
      ),
    );
    assert.equal(site.variant, 'decomposed RMSNorm');
    assert.deepEqual(site.location.nodes, [
      'up',
      'const_two',
      'pow',
      'rm',
      'const_eps',
      'add_eps',
      'sqrt',
      'const_one',
      'inv',
      'scale',
      'down',
      'weight',
    ]);
    assert.equal(site.params['epsilon']?.value, f32(1e-6));
    assert.deepEqual(site.context.tensors, { scale: 'w' });
  });

  for (const groups of [1, 4, 8]) {
    it(`GroupNorm as Reshape → InstanceNormalization → Reshape → Mul → Add with G=${groups}`, async () => {
      const site = one(await sitesOf(modelOf(13, groupNormDecomposed('x', 'y', groups, 8))));
      assert.equal(site.kind, 'groupnorm');
      assert.equal(site.variant, 'decomposed GroupNorm');
      assert.deepEqual(site.location.nodes, [
        'const_gn_shape',
        'reshape_in',
        'const_in_scale',
        'const_in_bias',
        'in',
        'shape_x',
        'reshape_out',
        'mul_gamma',
        'add_beta',
      ]);
      assert.deepEqual(params(site), {
        num_groups: [groups, 'constant'],
        epsilon: [f32(1e-3), 'literal'],
        affine: [true, 'literal'],
      });
      assert.deepEqual(site.context.tensors, { scale: 'gn_gamma', bias: 'gn_beta' });
    });
  }

  it('a reshaped InstanceNormalization with a learned scale stays an InstanceNormalization', async () => {
    const sites = await sitesOf(modelOf(13, groupNormDecomposed('x', 'y', 2, 8, [0.5, 2])));
    assert.deepEqual(
      sites.map((s) => s.variant),
      ['InstanceNormalization'],
    );
  });

  it('finds sites inside If branches (outer initializers resolve) and function bodies', async () => {
    const bn = batchNorm('x', 'y', 8);
    const branch = graph({ nodes: bn.nodes, outputs: [{ name: 'y' }] });
    const ln = layerNormPow('X', 'Y', 1e-5);
    const spec: ModelSpec = {
      opset: { '': 15, custom: 1 },
      nodes: [op('If', ['cond'], { then_branch: { g: branch }, else_branch: { g: branch } })],
      initializers: bn.initializers,
      functions: [
        {
          name: 'LN',
          domain: 'custom',
          input: ['X'],
          output: ['Y'],
          opsetImport: [{ domain: '', version: 13 }],
          node:
            graph({
              nodes: ln.nodes.map((n) =>
                n.op === 'Mul' && n.name === 'mul_gamma' ? { ...n, inputs: ['normed', 'eps'] } : n,
              ),
            }).node ?? [],
        },
      ],
    };
    const sites = await sitesOf(spec);
    assert.deepEqual(
      sites.map((s) => [s.context.graph, s.variant]),
      [
        ['main/n.then_branch', 'BatchNormalization'],
        ['main/n.else_branch', 'BatchNormalization'],
        ['function:custom.LN', 'decomposed LayerNorm'],
      ],
    );
    assert.equal(sites[0]?.context.scaleShape?.[0], 8, 'the branch sees the outer initializer');
    assert.equal(sites[2]?.context.opsetImport, 13, 'a function body uses its own opset import');
  });
});

describe('onnx detection: what torch 1.13 exports', () => {
  const cases: readonly [string, [string, string, string[]][]][] = [
    ['conv_bn_folded_op13.onnx', []],
    ['bn_eval_op15.onnx', [['batchnorm', 'BatchNormalization', ['/bn/BatchNormalization']]]],
    ['conv_bn_train_op15.onnx', [['batchnorm', 'BatchNormalization', ['/bn/BatchNormalization']]]],
    [
      'instancenorm_op13.onnx',
      [['instancenorm', 'InstanceNormalization', ['/InstanceNormalization']]],
    ],
    ['layernorm_op17.onnx', [['layernorm', 'LayerNormalization', ['/LayerNormalization']]]],
  ];
  for (const [file, expected] of cases) {
    it(file, async () => {
      const sites = await detectNormSites(await readFixture(`exported/${file}`));
      assert.deepEqual(
        sites.map((s) => [s.kind, s.variant, s.location.nodes]),
        expected,
      );
    });
  }

  it('folds Conv+BN in eval mode: only a Conv remains', async () => {
    const m = await readFixture('exported/conv_bn_folded_op13.onnx');
    assert.deepEqual(
      m.graph.nodes.map((n) => n.opType),
      ['Conv'],
    );
  });

  it('converts BatchNorm momentum to the ONNX convention and keeps eps as float32', async () => {
    const site = one(await detectNormSites(await readFixture('exported/bn_eval_op15.onnx')));
    assert.deepEqual(params(site), {
      epsilon: [f32(1e-5), 'literal'],
      momentum: [f32(0.9), 'literal'],
      training_mode: [0, 'literal'],
    });
    const train = one(await detectNormSites(await readFixture('exported/bn_train_op15.onnx')));
    assert.equal(train.params['training_mode']?.value, 1);
    assert.equal(train.context.outputCount, 3);
  });

  it('decomposes LayerNorm below opset 17 into one site covering every node', async () => {
    const m = await readFixture('exported/layernorm_op13.onnx');
    const site = one(await detectNormSites(m));
    assert.equal(site.variant, 'decomposed LayerNorm');
    assert.deepEqual([...site.location.nodes].sort(), m.graph.nodes.map((n) => n.id).sort());
    assert.equal(site.params['epsilon']?.value, f32(1e-6));
  });

  for (const [file, groups, eps] of [
    ['groupnorm2_op13.onnx', 2, 1e-5],
    ['groupnorm4_op17.onnx', 4, 1e-3],
  ] as const) {
    it(`writes GroupNorm as Reshape/InstanceNormalization/Reshape/Mul/Add (${file})`, async () => {
      const m = await readFixture(`exported/${file}`);
      const site = one(await detectNormSites(m));
      assert.equal(site.variant, 'decomposed GroupNorm');
      assert.deepEqual([...site.location.nodes].sort(), m.graph.nodes.map((n) => n.id).sort());
      assert.deepEqual(params(site), {
        num_groups: [groups, 'constant'],
        epsilon: [f32(eps), 'literal'],
        affine: [true, 'literal'],
      });
    });
  }

  for (const [file, size, alpha, beta, k] of [
    ['lrn5_op13.onnx', 5, 2e-4, 0.7, 2],
    ['lrn3_op11.onnx', 3, 1e-4, 0.75, 1],
  ] as const) {
    it(`writes LocalResponseNorm as a Pad/AveragePool/Pow/Div chain (${file})`, async () => {
      const m = await readFixture(`exported/${file}`);
      const site = one(await detectNormSites(m));
      assert.equal(site.variant, 'decomposed LRN');
      assert.deepEqual([...site.location.nodes].sort(), m.graph.nodes.map((n) => n.id).sort());
      assert.deepEqual(params(site), {
        size: [size, 'constant'],
        alpha: [f32(alpha), 'constant'],
        beta: [f32(beta), 'constant'],
        bias: [k, 'constant'],
      });
    });
  }
});
