import assert from 'node:assert/strict';
import { appendKeyword, setArgument, spellLike } from '../../../src/core/rules/edits';
import { byDefault, lineRange, literal, pytorchSite } from '../helpers/sites';

describe('rule edits', () => {
  const spellings = [
    ['0.99', 0.01, '0.01'],
    ['.99', 0.01, '.01'],
    ['0.9', 0.1, '0.1'],
    ['0.999', 0.001, '0.001'],
    ['9e-1', 0.1, '1e-1'],
    ['1', 0, '0'],
    [undefined, 0.25, '0.25'],
  ] as const;
  for (const [written, value, expected] of spellings) {
    it(`spells ${value} like ${String(written)} → ${expected}`, () =>
      assert.equal(spellLike(written, value), expected));
  }

  it('appends a keyword before the closing parenthesis of a one-line call', () => {
    assert.deepEqual(appendKeyword(lineRange(3, 4, 20), 'eps=1e-3'), {
      range: { start: { line: 3, character: 23 }, end: { line: 3, character: 23 } },
      newText: ', eps=1e-3',
    });
  });

  it('does not append to a multi-line call (it may end with a trailing comma)', () => {
    const range = { start: { line: 3, character: 4 }, end: { line: 6, character: 1 } };
    assert.equal(appendKeyword(range, 'eps=1e-3'), undefined);
  });

  it('replaces a literal argument and appends a defaulted one', () => {
    const site = pytorchSite('BatchNorm2d', { eps: literal(0, '0'), momentum: byDefault(0.1) });
    assert.equal(setArgument(site, 'eps', '1e-5')?.newText, '1e-5');
    assert.equal(setArgument(site, 'momentum', '0.01')?.newText, ', momentum=0.01');
  });
});
