// Momentum and variance conventions, the GroupNorm paper table, RMSNorm's eps=None and LRN windows,
// each checked against an independent reference (a direct simulation, the paper, torch's finfo,
// windows measured with torch 1.13).
import assert from 'node:assert/strict';
import {
  convertMomentum,
  convertVariance,
  GROUPNORM_PAPER_TABLE,
  lrnWindow,
  MOMENTUM_CONVENTION,
  RUNNING_VAR_CONVENTION,
  rmsNormDefaultEps,
  smallBatchErrors,
} from '../../../src/core/index';

/** One running-statistics update, written out for each convention. */
const update = {
  pytorch: (running: number, batch: number, m: number) => (1 - m) * running + m * batch,
  keras: (running: number, batch: number, m: number) => m * running + (1 - m) * batch,
};

describe('momentum conventions', () => {
  const cases = [
    { value: 0.1, from: 'pytorch', to: 'keras', expected: 0.9 },
    { value: 0.99, from: 'keras', to: 'pytorch', expected: 0.01 },
    { value: 0.9, from: 'keras', to: 'pytorch', expected: 0.1 },
    { value: 0.01, from: 'pytorch', to: 'keras', expected: 0.99 },
    { value: 0, from: 'pytorch', to: 'keras', expected: 1 },
    { value: 0.3, from: 'keras', to: 'keras', expected: 0.3 },
    { value: 0.1, from: 'pytorch', to: 'pytorch', expected: 0.1 },
  ] as const;
  for (const c of cases) {
    it(`${c.value} ${c.from} → ${c.to} = ${c.expected}`, () => {
      assert.equal(convertMomentum(c.value, c.from, c.to), c.expected);
    });
  }

  it('a converted momentum gives the same running statistics over 3 steps', () => {
    const batches = [2.5, -1, 7];
    for (const m of [0.1, 0.01, 0.5, 0.37]) {
      const keras = convertMomentum(m, 'pytorch', 'keras');
      let a = 0;
      let b = 0;
      for (const x of batches) {
        a = update.pytorch(a, x, m);
        b = update.keras(b, x, keras);
      }
      assert.ok(Math.abs(a - b) < 1e-12, `m=${m}: ${a} vs ${b}`);
    }
  });

  it('ONNX and tfjs use the Keras convention; PyTorch feeds the unbiased variance', () => {
    assert.deepEqual(MOMENTUM_CONVENTION, { pytorch: 'pytorch', tfjs: 'keras', onnx: 'keras' });
    assert.deepEqual(RUNNING_VAR_CONVENTION, {
      pytorch: 'unbiased',
      tfjs: 'biased',
      onnx: 'biased',
    });
  });
});

describe('variance conventions', () => {
  // x = [1, 2, 3, 4]: biased variance 1.25, unbiased 5/3 (torch's running_var with momentum=1).
  it('converts between biased and unbiased', () => {
    assert.ok(Math.abs(convertVariance(1.25, 4, 'biased', 'unbiased') - 5 / 3) < 1e-15);
    assert.ok(Math.abs(convertVariance(5 / 3, 4, 'unbiased', 'biased') - 1.25) < 1e-15);
    assert.equal(convertVariance(2, 10, 'biased', 'biased'), 2);
  });
  it('has no unbiased estimate for a single value', () => {
    assert.ok(!Number.isFinite(convertVariance(0, 1, 'biased', 'unbiased')));
  });
});

describe('GroupNorm paper table', () => {
  it('holds Table 2 of Wu & He 2018', () => {
    assert.deepEqual(
      GROUPNORM_PAPER_TABLE.rows.map((r) => [r.batch, r.bn, r.gn]),
      [
        [32, 23.6, 24.1],
        [16, 23.7, 24.2],
        [8, 24.8, 24.0],
        [4, 27.3, 24.2],
        [2, 34.7, 24.1],
      ],
    );
    assert.equal(GROUPNORM_PAPER_TABLE.source.arxiv, '1803.08494');
  });
  const lookups = [
    { batch: 2, row: 2, exact: true },
    { batch: 3, row: 2, exact: false },
    { batch: 4, row: 4, exact: true },
    { batch: 12, row: 8, exact: false },
    { batch: 16, row: 16, exact: true },
    { batch: 256, row: 32, exact: false },
    { batch: 1, row: 2, exact: false },
  ];
  for (const c of lookups) {
    it(`batch ${c.batch} reads the row for ${c.row}`, () => {
      const r = smallBatchErrors(c.batch);
      assert.equal(r.batch, c.row);
      assert.equal(r.exact, c.exact);
      assert.equal(r.bn, GROUPNORM_PAPER_TABLE.rows.find((x) => x.batch === c.row)?.bn);
    });
  }
});

describe('RMSNorm eps=None', () => {
  // torch.finfo(...).eps values.
  const cases = [
    { dtype: 'float16', old: false, eps: 1.1920928955078125e-7 },
    { dtype: 'bfloat16', old: false, eps: 1.1920928955078125e-7 },
    { dtype: 'float32', old: false, eps: 1.1920928955078125e-7 },
    { dtype: 'float64', old: false, eps: 2.220446049250313e-16 },
    { dtype: 'float16', old: true, eps: 0.0009765625 },
    { dtype: 'bfloat16', old: true, eps: 0.0078125 },
  ] as const;
  for (const c of cases) {
    it(`${c.dtype}${c.old ? ' before the January 2025 fix' : ''} → ${c.eps}`, () => {
      assert.equal(rmsNormDefaultEps(c.dtype, c.old), c.eps);
    });
  }
});

describe('LRN windows', () => {
  // Offsets of the channels that affect channel c, measured with torch 1.13 LocalResponseNorm.
  const torchMeasured: Readonly<Record<number, readonly number[]>> = {
    2: [-1, 0],
    3: [-1, 0, 1],
    4: [-2, -1, 0, 1],
    5: [-2, -1, 0, 1, 2],
  };
  const offsets = (w: { before: number; after: number }): number[] =>
    Array.from({ length: w.before + w.after + 1 }, (_, i) => i - w.before);
  for (const [size, expected] of Object.entries(torchMeasured)) {
    it(`PyTorch size ${size}`, () => {
      const w = lrnWindow('pytorch', Number(size));
      assert.deepEqual(offsets(w), expected);
      assert.equal(w.alphaDivisor, Number(size));
    });
  }
  it('ONNX equals PyTorch for odd sizes and shifts right for even ones', () => {
    assert.deepEqual(offsets(lrnWindow('onnx', 5)), offsets(lrnWindow('pytorch', 5)));
    assert.deepEqual(offsets(lrnWindow('onnx', 2)), [0, 1]);
    assert.deepEqual(offsets(lrnWindow('onnx', 4)), [-1, 0, 1, 2]);
  });
  it('TF uses depthRadius on both sides and does not divide alpha', () => {
    assert.deepEqual(lrnWindow('tf', 2), { before: 2, after: 2, count: 5, alphaDivisor: 1 });
  });
});
