/**
 * Tiny graphs for the detection tests: each function returns the nodes (and initializers) of one
 * normalization written the way an exporter would, so tests can combine them with other nodes.
 */
import type { onnx } from 'onnx-proto';
import { constant, FLOAT16, INT64, tensor, type ModelSpec, type NodeSpec } from './builder';

/** Nodes plus the initializers they need. */
export interface Fragment {
  readonly nodes: NodeSpec[];
  readonly initializers: onnx.ITensorProto[];
}

/** A model of the given nodes and fragments between input `x` [N, 8, 4, 4] and output `y`. */
export function modelOf(opset: ModelSpec['opset'], ...parts: (Fragment | NodeSpec)[]): ModelSpec {
  const nodes: NodeSpec[] = [];
  const initializers: onnx.ITensorProto[] = [];
  for (const part of parts) {
    if ('op' in part) {
      nodes.push(part);
    } else {
      nodes.push(...part.nodes);
      initializers.push(...part.initializers);
    }
  }
  return {
    opset,
    nodes,
    initializers,
    inputs: [{ name: 'x', shape: ['N', 8, 4, 4] }],
    outputs: [{ name: 'y' }],
  };
}

const ones = (n: number) => new Array<number>(n).fill(1);

/** LayerNorm below opset 17, as the TorchScript exporter writes it (Pow, Div; Constant eps). */
export function layerNormPow(x: string, y: string, eps: number, channels = 8): Fragment {
  return {
    nodes: [
      {
        op: 'ReduceMean',
        name: 'rm1',
        inputs: [x],
        outputs: ['mean'],
        attrs: { axes: { ints: [-1] } },
      },
      { op: 'Sub', name: 'sub', inputs: [x, 'mean'], outputs: ['centered'] },
      constant('two', [], [2]),
      { op: 'Pow', name: 'pow', inputs: ['centered', 'two'], outputs: ['sq'] },
      {
        op: 'ReduceMean',
        name: 'rm2',
        inputs: ['sq'],
        outputs: ['var'],
        attrs: { axes: { ints: [-1] } },
      },
      constant('eps', [], [eps]),
      { op: 'Add', name: 'add_eps', inputs: ['var', 'eps'], outputs: ['var_eps'] },
      { op: 'Sqrt', name: 'sqrt', inputs: ['var_eps'], outputs: ['std'] },
      { op: 'Div', name: 'div', inputs: ['centered', 'std'], outputs: ['normed'] },
      { op: 'Mul', name: 'mul_gamma', inputs: ['normed', 'gamma'], outputs: ['scaled'] },
      { op: 'Add', name: 'add_beta', inputs: ['scaled', 'beta'], outputs: [y] },
    ],
    initializers: [
      tensor('gamma', [channels], ones(channels)),
      tensor('beta', [channels], new Array<number>(channels).fill(0)),
    ],
  };
}

/** LayerNorm with Mul(d, d), Reciprocal·Mul, Casts around the statistics and an eps initializer. */
export function layerNormCastReciprocal(x: string, y: string, eps: number): Fragment {
  return {
    nodes: [
      { op: 'Cast', name: 'cast_in', inputs: [x], outputs: ['x32'], attrs: { to: { i: 1 } } },
      { op: 'ReduceMean', name: 'rm1', inputs: ['x32', 'axes'], outputs: ['mean'] },
      { op: 'Sub', name: 'sub', inputs: ['x32', 'mean'], outputs: ['centered'] },
      { op: 'Mul', name: 'square', inputs: ['centered', 'centered'], outputs: ['sq'] },
      { op: 'ReduceMean', name: 'rm2', inputs: ['sq', 'axes'], outputs: ['var'] },
      { op: 'Add', name: 'add_eps', inputs: ['eps_init', 'var'], outputs: ['var_eps'] },
      { op: 'Sqrt', name: 'sqrt', inputs: ['var_eps'], outputs: ['std'] },
      { op: 'Reciprocal', name: 'recip', inputs: ['std'], outputs: ['inv'] },
      { op: 'Mul', name: 'mul_inv', inputs: ['inv', 'centered'], outputs: ['normed32'] },
      {
        op: 'Cast',
        name: 'cast_out',
        inputs: ['normed32'],
        outputs: ['normed'],
        attrs: { to: { i: 10 } },
      },
      { op: 'Mul', name: 'mul_gamma', inputs: ['normed', 'gamma'], outputs: [y] },
    ],
    initializers: [
      tensor('eps_init', [1], [eps]),
      tensor('axes', [1], [-1], INT64),
      tensor('gamma', [4], [1, 2, 3, 4]),
    ],
  };
}

/** LayerNorm with var = E[x²] − E[x]² (the one-pass form). */
export function layerNormMoments(x: string, y: string, eps: number): Fragment {
  return {
    nodes: [
      {
        op: 'ReduceMean',
        name: 'mean_x',
        inputs: [x],
        outputs: ['mean'],
        attrs: { axes: { ints: [-1] } },
      },
      { op: 'Mul', name: 'x_sq', inputs: [x, x], outputs: ['xsq'] },
      {
        op: 'ReduceMean',
        name: 'mean_xsq',
        inputs: ['xsq'],
        outputs: ['ex2'],
        attrs: { axes: { ints: [-1] } },
      },
      { op: 'Mul', name: 'mean_sq', inputs: ['mean', 'mean'], outputs: ['m2'] },
      { op: 'Sub', name: 'var', inputs: ['ex2', 'm2'], outputs: ['var'] },
      { op: 'Add', name: 'add_eps', inputs: ['var', 'eps_init'], outputs: ['var_eps'] },
      { op: 'Sqrt', name: 'sqrt', inputs: ['var_eps'], outputs: ['std'] },
      { op: 'Sub', name: 'center', inputs: [x, 'mean'], outputs: ['centered'] },
      { op: 'Div', name: 'div', inputs: ['centered', 'std'], outputs: [y] },
    ],
    initializers: [tensor('eps_init', [], [eps])],
  };
}

/** RMSNorm as the dynamo exporter writes it below opset 23 (eps storage type selectable). */
export function rmsNorm(x: string, y: string, eps: number, epsType?: number): Fragment {
  return {
    nodes: [
      constant('two', [], [2]),
      { op: 'Pow', name: 'pow', inputs: [x, 'two'], outputs: ['sq'] },
      {
        op: 'ReduceMean',
        name: 'rm',
        inputs: ['sq'],
        outputs: ['ms'],
        attrs: { axes: { ints: [-1] } },
      },
      { op: 'Add', name: 'add_eps', inputs: ['ms', 'eps_init'], outputs: ['ms_eps'] },
      { op: 'Sqrt', name: 'sqrt', inputs: ['ms_eps'], outputs: ['rms'] },
      { op: 'Reciprocal', name: 'recip', inputs: ['rms'], outputs: ['inv'] },
      { op: 'Mul', name: 'mul_inv', inputs: [x, 'inv'], outputs: ['normed'] },
      { op: 'Mul', name: 'mul_gamma', inputs: ['normed', 'weight'], outputs: [y] },
    ],
    initializers: [tensor('eps_init', [], [eps], epsType), tensor('weight', [4], [1, 1, 1, 1])],
  };
}

/** GroupNorm as the TorchScript exporter writes it: Reshape → IN(ones, zeros) → Reshape → Mul → Add. */
export function groupNormDecomposed(
  x: string,
  y: string,
  groups: number,
  channels: number,
  inScale = ones(groups),
): Fragment {
  return {
    nodes: [
      constant('gn_shape', [3], [0, groups, -1], INT64),
      { op: 'Reshape', name: 'reshape_in', inputs: [x, 'gn_shape'], outputs: ['grouped'] },
      constant('in_scale', [groups], inScale),
      constant('in_bias', [groups], new Array<number>(groups).fill(0)),
      {
        op: 'InstanceNormalization',
        name: 'in',
        inputs: ['grouped', 'in_scale', 'in_bias'],
        outputs: ['normed'],
        attrs: { epsilon: { f: 1e-3 } },
      },
      { op: 'Shape', name: 'shape_x', inputs: [x], outputs: ['x_shape'] },
      { op: 'Reshape', name: 'reshape_out', inputs: ['normed', 'x_shape'], outputs: ['restored'] },
      { op: 'Mul', name: 'mul_gamma', inputs: ['restored', 'gn_gamma'], outputs: ['scaled'] },
      { op: 'Add', name: 'add_beta', inputs: ['scaled', 'gn_beta'], outputs: [y] },
    ],
    initializers: [
      tensor('gn_gamma', [channels, 1, 1], ones(channels)),
      tensor('gn_beta', [channels, 1, 1], new Array<number>(channels).fill(0)),
    ],
  };
}

/** A BatchNormalization with its four tensors as initializers. */
export function batchNorm(
  x: string,
  y: string,
  channels: number,
  attrs: NodeSpec['attrs'] = {},
  stats?: { mean?: number[]; var?: number[]; scale?: number[]; dtype?: number },
): Fragment {
  const dtype = stats?.dtype;
  return {
    nodes: [
      {
        op: 'BatchNormalization',
        name: 'bn',
        inputs: [x, 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'],
        outputs: [y],
        ...(attrs ? { attrs } : {}),
      },
    ],
    initializers: [
      tensor('bn.weight', [channels], stats?.scale ?? ones(channels), dtype),
      tensor('bn.bias', [channels], new Array<number>(channels).fill(0.1), dtype),
      tensor(
        'bn.running_mean',
        [channels],
        stats?.mean ?? new Array<number>(channels).fill(0.5),
        dtype,
      ),
      tensor(
        'bn.running_var',
        [channels],
        stats?.var ?? new Array<number>(channels).fill(2),
        dtype,
      ),
    ],
  };
}

export { FLOAT16 };
