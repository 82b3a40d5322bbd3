import assert from 'node:assert/strict';
import { fp16Class, roundToFp16 } from '../../../src/core/rules/precision';

/** Expected values from numpy 1.24: `float(np.float16(v))`. */
const NUMPY_FP16: readonly (readonly [number, number])[] = [
  [1e-3, 0.0010004043579101562],
  [1e-5, 1.0013580322265625e-5],
  [1e-6, 1.0132789611816406e-6],
  [1e-7, 1.1920928955078125e-7],
  [1e-8, 0],
  [1e-12, 0],
  [2.98e-8, 0],
  [3e-8, 5.960464477539063e-8],
  [6.1e-5, 6.097555160522461e-5],
  [6.2e-5, 6.198883056640625e-5],
  [0.1, 0.0999755859375],
  [0.3333, 0.333251953125],
  [65504, 65504],
  [65519, 65504],
  [65520, Infinity],
  [1e5, Infinity],
  [-1e-5, -1.0013580322265625e-5],
  [2 ** -25, 0],
  [2.980232536792755e-8, 5.960464477539063e-8],
];

describe('fp16 rounding (against numpy)', () => {
  for (const [value, expected] of NUMPY_FP16) {
    it(`${value} → ${expected}`, () => assert.equal(roundToFp16(value), expected));
  }
  const classes = [
    [1e-3, 'normal'],
    [1e-5, 'subnormal'],
    [1e-12, 'zero'],
    [1e5, 'infinite'],
  ] as const;
  for (const [value, expected] of classes) {
    it(`${value} is ${expected} in fp16`, () => assert.equal(fp16Class(value), expected));
  }
});
