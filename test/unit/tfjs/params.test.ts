import assert from 'node:assert/strict';
import type { Param } from '../../../src/core/model';
import { extract } from './parse';

/** The parameters of the only site of `code`, reduced to value and provenance. */
async function paramsOf(code: string): Promise<Record<string, Pick<Param, 'value' | 'source'>>> {
  const { sites } = await extract(code);
  assert.equal(sites.length, 1, JSON.stringify(sites));
  const result: Record<string, Pick<Param, 'value' | 'source'>> = {};
  for (const [name, param] of Object.entries(sites[0]?.params ?? {})) {
    result[name] = { value: param.value, source: param.source };
  }
  return result;
}

interface ParamCase {
  readonly name: string;
  readonly code: string;
  /** Expected value and provenance of the listed parameters (others are not checked). */
  readonly expect: Readonly<Record<string, readonly [Param['value'], Param['source']]>>;
}

const cases: readonly ParamCase[] = [
  {
    name: 'Keras defaults for an empty BN config',
    code: 'tf.layers.batchNormalization()',
    expect: {
      axis: [-1, 'default'],
      momentum: [0.99, 'default'],
      epsilon: [0.001, 'default'],
      center: [true, 'default'],
      scale: [true, 'default'],
      betaInitializer: ['zeros', 'default'],
    },
  },
  {
    name: 'literal config keys',
    code: 'tf.layers.batchNormalization({axis: 1, momentum: 0.1, epsilon: 1e-5, center: false})',
    expect: {
      axis: [1, 'literal'],
      momentum: [0.1, 'literal'],
      epsilon: [1e-5, 'literal'],
      center: [false, 'literal'],
      scale: [true, 'default'],
    },
  },
  {
    name: 'config held in a constant',
    code: "const CFG = {momentum: 0.9, 'epsilon': 2e-3};\ntf.layers.batchNormalization(CFG)",
    expect: { momentum: [0.9, 'constant'], epsilon: [0.002, 'constant'], axis: [-1, 'default'] },
  },
  {
    name: 'spread of a constant, then a literal override',
    code: 'const B = {momentum: 0.9, axis: 3};\ntf.layers.batchNormalization({...B, momentum: 0.5})',
    expect: { momentum: [0.5, 'literal'], axis: [3, 'constant'], epsilon: [0.001, 'default'] },
  },
  {
    name: 'shorthand property and arithmetic on constants',
    code: 'const momentum = 1 - 0.1;\nconst EPS = 10 ** -5;\ntf.layers.batchNormalization({momentum, epsilon: EPS})',
    expect: { momentum: [1 - 0.1, 'constant'], epsilon: [10 ** -5, 'constant'] },
  },
  {
    name: 'member of a constant object',
    code: 'const H = {bn: {eps: 1e-4}};\ntf.layers.batchNormalization({epsilon: H.bn.eps})',
    expect: { epsilon: [1e-4, 'constant'] },
  },
  {
    name: 'an opaque config makes unwritten keys unknown',
    code: 'function f(cfg) { return tf.layers.batchNormalization(cfg); }',
    expect: { momentum: [null, 'unknown'], epsilon: [null, 'unknown'] },
  },
  {
    name: 'an opaque spread keeps later keys and hides the others',
    code: 'tf.layers.batchNormalization({...opts, epsilon: 1e-5})',
    expect: { epsilon: [1e-5, 'literal'], momentum: [null, 'unknown'] },
  },
  {
    name: 'a reassigned variable is not folded',
    code: 'let m = 0.9;\nm = 0.5;\ntf.layers.batchNormalization({momentum: m})',
    expect: { momentum: [null, 'unknown'] },
  },
  {
    name: 'layerNormalization with a list axis',
    code: 'tf.layers.layerNormalization({axis: [1, -1], epsilon: 1e-6})',
    expect: { axis: [[1, -1], 'literal'], epsilon: [1e-6, 'literal'], center: [true, 'default'] },
  },
  {
    name: 'batchNorm op positional arguments and default epsilon',
    code: 'tf.batchNorm(x, mean, variance, offset, scale)',
    expect: {
      x: [null, 'unknown'],
      offset: [null, 'unknown'],
      varianceEpsilon: [0.001, 'default'],
    },
  },
  {
    name: 'batchNorm op with epsilon',
    code: 'tf.batchNorm4d(x, m, v, undefined, undefined, 1e-5)',
    expect: { offset: [null, 'literal'], varianceEpsilon: [1e-5, 'literal'] },
  },
  {
    name: 'batchNorm op with a spread argument',
    code: 'tf.batchNorm(x, ...rest)',
    expect: { mean: [null, 'unknown'], varianceEpsilon: [null, 'unknown'] },
  },
  {
    name: 'LRN defaults (TF semantics)',
    code: 'tf.localResponseNormalization(x)',
    expect: {
      depthRadius: [5, 'default'],
      bias: [1, 'default'],
      alpha: [1, 'default'],
      beta: [0.5, 'default'],
    },
  },
  {
    name: 'LRN positional',
    code: 'tf.localResponseNormalization(x, 2, 2, 1e-4, 0.75)',
    expect: {
      depthRadius: [2, 'literal'],
      bias: [2, 'literal'],
      alpha: [1e-4, 'literal'],
      beta: [0.75, 'literal'],
    },
  },
  {
    name: 'moments axes and keepDims',
    code: 'tf.moments(x, [1, 2], true)',
    expect: { axis: [[1, 2], 'literal'], keepDims: [true, 'literal'] },
  },
  {
    name: 'hex, separators and TypeScript casts',
    code: 'tf.layers.batchNormalization({axis: 0x3 as number, momentum: 0.9_9!})',
    expect: { axis: [3, 'literal'], momentum: [0.99, 'literal'] },
  },
];

describe('tfjs sources: effective parameters', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const params = await paramsOf(c.code);
      for (const [name, [value, source]] of Object.entries(c.expect)) {
        assert.deepEqual(params[name], { value, source }, name);
      }
    });
  }

  it('keeps the written expression and its range', async () => {
    const { sites } = await extract('const B = {momentum: 0.9};\ntf.layers.batchNormalization(B)');
    const momentum = sites[0]?.params['momentum'];
    assert.equal(momentum?.expression, '0.9');
    assert.deepEqual(momentum?.origin, {
      start: { line: 0, character: 21 },
      end: { line: 0, character: 24 },
    });
  });
});

/** Which kind a `tf.moments` call is read as, by its axes. */
const momentsKinds: readonly (readonly [string, string])[] = [
  ['[1, 2]', 'instancenorm'],
  ['[0, 1, 2]', 'batchnorm'],
  ['0', 'batchnorm'],
  ['-1', 'layernorm'],
  ['[1, 2, 3]', 'layernorm'],
  ['[1, 2, 4]', 'groupnorm'],
  ['axes', 'other'],
  ['[1]', 'other'],
];

describe('tfjs sources: tf.moments kinds', () => {
  for (const [axes, kind] of momentsKinds) {
    it(`axis ${axes} → ${kind}`, async () => {
      const { sites } = await extract(`tf.moments(x, ${axes}, true)`);
      assert.equal(sites[0]?.kind, kind);
      assert.equal(sites[0]?.variant, 'tf.moments');
    });
  }
});
