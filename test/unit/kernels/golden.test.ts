// Kernels against PyTorch goldens (test/fixtures/golden/make_kernel_goldens.py, torch 1.13,
// references computed in float64 from float32 inputs).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadKernels, type Kernels, type Tensor } from '../../../src/core/kernels/index';
import { assertClose } from './helpers';

interface GoldenCase {
  readonly kind: string;
  readonly name: string;
  readonly params: Readonly<Record<string, number | number[] | null>>;
  readonly inputs: Readonly<Record<string, { shape: number[]; data: (number | null)[] }>>;
  /** null stands for NaN, which JSON cannot hold. */
  readonly outputs: Readonly<Record<string, (number | null)[]>>;
}

const file = path.join(__dirname, '../../fixtures/golden/kernel-goldens.json');
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: GoldenCase[] };

function input(c: GoldenCase, name: string): Tensor {
  const value = c.inputs[name];
  assert.ok(value, `${c.name}: input ${name}`);
  return { data: Float32Array.from(value.data, (v) => v ?? NaN), shape: value.shape };
}

function output(c: GoldenCase, name: string): number[] {
  const value = c.outputs[name];
  assert.ok(value, `${c.name}: output ${name}`);
  return value.map((v) => v ?? NaN);
}

function num(c: GoldenCase, name: string): number {
  const value = c.params[name];
  assert.equal(typeof value, 'number', `${c.name}: param ${name}`);
  return value as number;
}

function vec(c: GoldenCase, name: string): Float32Array {
  const value = c.params[name];
  assert.ok(Array.isArray(value), `${c.name}: param ${name}`);
  return Float32Array.from(value);
}

/** One checker per golden kind; each calls the kernel and compares with PyTorch's float64 output. */
const checkers: Readonly<Record<string, (k: Kernels, c: GoldenCase) => void>> = {
  layerNorm: (k, c) => {
    const x = input(c, 'x');
    const y = k.layerNorm(x, {
      eps: num(c, 'eps'),
      gamma: input(c, 'gamma').data,
      beta: input(c, 'beta').data,
    });
    assertClose(y.y.data, output(c, 'y'));
  },
  rmsNorm: (k, c) => {
    const y = k.rmsNorm(input(c, 'x'), { eps: num(c, 'eps'), gamma: input(c, 'gamma').data });
    assertClose(y.y.data, output(c, 'y'));
  },
  groupNorm: (k, c) => {
    const options = {
      numGroups: num(c, 'numGroups'),
      eps: num(c, 'eps'),
      gamma: input(c, 'gamma').data,
      beta: input(c, 'beta').data,
    };
    assertClose(k.groupNorm(input(c, 'x'), options).data, output(c, 'y'));
  },
  instanceNorm: (k, c) => {
    const options = {
      eps: num(c, 'eps'),
      gamma: input(c, 'gamma').data,
      beta: input(c, 'beta').data,
    };
    assertClose(k.instanceNorm(input(c, 'x'), options).data, output(c, 'y'));
  },
  lrn: (k, c) => {
    const options = {
      convention: 'pytorch',
      size: num(c, 'size'),
      alpha: num(c, 'alpha'),
      beta: num(c, 'beta'),
      k: num(c, 'k'),
    } as const;
    assertClose(k.lrn(input(c, 'x'), options).data, output(c, 'y'));
    // The ONNX window differs for even sizes, visibly.
    const onnx = k.lrn(input(c, 'x'), { ...options, convention: 'onnx' }).data;
    assert.ok(onnx.some((v, i) => Math.abs(v - (output(c, 'y')[i] ?? NaN)) > 1e-3));
  },
  moments: (k, c) => {
    const axes = c.params['axes'];
    assert.ok(Array.isArray(axes));
    const m = k.moments(input(c, 'x'), axes);
    assertClose(m.mean, output(c, 'mean'), 1e-5, 'mean');
    assertClose(m.variance, output(c, 'variance'), 1e-5, 'variance');
  },
  layerNormFp16: (k, c) => {
    const y = k.layerNorm(input(c, 'x'), { eps: num(c, 'eps'), precision: 'fp16' }).y.data;
    const expected = output(c, 'y');
    // Row 0 is constant: eps 1e-12 is 0 in fp16, so 0/0 = NaN; eps 1e-5 survives (subnormal) → 0.
    assert.deepEqual(Array.from(y.slice(0, 8)), expected.slice(0, 8));
    // Row 1: PyTorch rounds after every fp16 op, the emulation only at storage points.
    assertClose(y.slice(8), expected.slice(8), 4e-3, 'fp16 row');
  },
};

describe('kernels: PyTorch goldens', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });

  for (const c of cases.filter((c) => c.kind !== 'batchNormTrain')) {
    it(`${c.kind}: ${c.name}`, () => {
      const check = checkers[c.kind];
      assert.ok(check, `no checker for ${c.kind}`);
      check(kernels, c);
    });
  }

  for (const momentum of [0.1, null]) {
    it(`batchNormTrain pytorch convention, momentum ${momentum}, 3 steps (unbiased running var)`, () => {
      const steps = cases.filter(
        (c) => c.kind === 'batchNormTrain' && c.params['momentum'] === momentum,
      );
      assert.equal(steps.length, 3);
      let running: { runningMean: Float32Array; runningVar: Float32Array } = {
        runningMean: new Float32Array(3),
        runningVar: new Float32Array(3).fill(1),
      };
      steps.forEach((c, step) => {
        const result = kernels.batchNormTrain(input(c, 'x'), {
          eps: num(c, 'eps'),
          momentum,
          convention: 'pytorch',
          gamma: vec(c, 'gamma'),
          beta: vec(c, 'beta'),
          numBatchesTracked: step,
          ...running,
        });
        assertClose(result.y.data, output(c, 'y'), 1e-5, `y step ${step}`);
        assertClose(
          result.runningMean,
          output(c, 'runningMean'),
          1e-5,
          `running mean step ${step}`,
        );
        assertClose(result.runningVar, output(c, 'runningVar'), 1e-5, `running var step ${step}`);
        running = { runningMean: result.runningMean, runningVar: result.runningVar };
      });
    });
  }

  it('batchNormTrain probe [1,2,3,4]: running_var 1.6667 (PyTorch) vs 1.25 (ONNX/tfjs)', () => {
    const c = cases.find((c) => c.name.startsWith('probe'));
    assert.ok(c);
    const base = {
      eps: 1e-5,
      momentum: 1,
      runningMean: new Float32Array(1),
      runningVar: new Float32Array([1]),
    };
    const pytorch = kernels.batchNormTrain(input(c, 'x'), { ...base, convention: 'pytorch' });
    assertClose(pytorch.runningVar, output(c, 'runningVar'));
    assertClose(pytorch.runningVar, [5 / 3]);
    // ONNX momentum weights the old value, so 0 means "take the batch value".
    const onnx = kernels.batchNormTrain(input(c, 'x'), {
      ...base,
      momentum: 0,
      convention: 'onnx',
    });
    assertClose(onnx.runningVar, [1.25]);
  });
});
