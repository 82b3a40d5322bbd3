import assert from 'node:assert/strict';
import type { ParamValue } from '../../../src/core/model';
import {
  foldBinary,
  foldNumbers,
  foldSign,
  numericOperators,
} from '../../../src/core/syntax/arithmetic';
import { SingleBindings } from '../../../src/core/syntax/bindings';

interface Tagged {
  readonly value: ParamValue;
  readonly tags: readonly string[];
}

const tagged = (value: ParamValue, ...tags: string[]): Tagged => ({ value, tags });
const combine = (value: ParamValue, parts: readonly Tagged[]): Tagged => ({
  value,
  tags: parts.flatMap((p) => p.tags),
});

describe('syntax: constant arithmetic', () => {
  const python = numericOperators({ '/': (a, b) => (b === 0 ? undefined : a / b) });
  const javascript = numericOperators({ '/': (a, b) => a / b });

  it('folds the common operators and merges provenance through combine', () => {
    assert.deepEqual(foldBinary(python, '**', tagged(2, 'A'), tagged(10, 'B'), combine), {
      value: 1024,
      tags: ['A', 'B'],
    });
    assert.equal(foldBinary(javascript, '-', tagged(3), tagged(5), combine)?.value, -2);
    assert.equal(foldBinary(javascript, '*', tagged(1.5), tagged(4), combine)?.value, 6);
  });

  it('lets each language decide division by zero', () => {
    assert.equal(foldBinary(python, '/', tagged(1), tagged(0), combine), undefined);
    assert.equal(foldBinary(javascript, '/', tagged(1), tagged(0), combine)?.value, Infinity);
  });

  it('refuses unknown operators, inherited keys and non-numbers', () => {
    assert.equal(foldBinary(python, '<<', tagged(1), tagged(2), combine), undefined);
    assert.equal(foldBinary(python, 'constructor', tagged(1), tagged(2), combine), undefined);
    assert.equal(foldBinary(python, undefined, tagged(1), tagged(2), combine), undefined);
    assert.equal(foldBinary(python, '+', tagged('a'), tagged(2), combine), undefined);
    assert.equal(foldBinary(python, '+', null, tagged(2), combine), undefined);
  });

  it('folds signs on numbers only', () => {
    assert.deepEqual(foldSign('-', tagged(3, 'K'), combine), { value: -3, tags: ['K'] });
    assert.equal(foldSign('+', tagged(3), combine)?.value, 3);
    assert.equal(foldSign('~', tagged(3), combine), undefined);
    assert.equal(foldSign('-', tagged(true), combine), undefined);
  });

  it('folds lists of numbers and stops at the first element that is not one', () => {
    assert.deepEqual(
      foldNumbers([1, 2, 3], (n) => tagged(n * 10, `e${n}`), combine),
      { value: [10, 20, 30], tags: ['e1', 'e2', 'e3'] },
    );
    const seen: number[] = [];
    const stopped = foldNumbers(
      [1, 2, 3],
      (n) => {
        seen.push(n);
        return n === 2 ? undefined : tagged(n);
      },
      combine,
    );
    assert.equal(stopped, undefined);
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(
      foldNumbers([], () => undefined, combine),
      { value: [], tags: [] },
    );
  });
});

describe('syntax: single bindings', () => {
  it('keeps names bound once and drops rebound or reassigned ones', () => {
    const bindings = new SingleBindings<number>();
    bindings.bind('a', 1);
    bindings.bind('b', 2);
    bindings.bind('b', 3);
    bindings.bind('c', 4);
    bindings.reassign('c');
    bindings.reassign('unbound');
    assert.deepEqual([...bindings.result()], [['a', 1]]);
  });
});
