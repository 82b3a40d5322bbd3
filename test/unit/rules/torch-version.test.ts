/** What torch pins say about API availability (fixes depend on it). */
import assert from 'node:assert/strict';
import { torchAtLeast, torchBelow } from '../../../src/core/rules/torch-version';

const pin = (version: string) => ({ version });

describe('torch version pins', () => {
  const cases: readonly [string, boolean, boolean][] = [
    // pin, at least 2.0, below 2.0
    ['1.13.1', false, true],
    ['==2.1.0', true, false],
    ['>=2.1', true, false],
    ['>=1.12,<2.0', false, true],
    ['<=2.0', false, false],
    ['<2.1', false, false],
    ['~=1.13', false, false],
    ['torch>=2.0', true, false],
    ['latest', false, false],
  ];
  for (const [version, atLeast, below] of cases) {
    it(`${version}: at least 2.0 is ${atLeast}, below 2.0 is ${below}`, () => {
      assert.equal(torchAtLeast(pin(version), 2, 0), atLeast);
      assert.equal(torchBelow(pin(version), 2, 0), below);
    });
  }
  it('no pin answers false both ways', () => {
    assert.equal(torchAtLeast(undefined, 1, 0), false);
    assert.equal(torchBelow(undefined, 9, 0), false);
  });
});
