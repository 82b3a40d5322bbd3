import assert from 'node:assert/strict';
import { rangeContains, severityRank } from '../../src/core/index';

describe('model helpers', () => {
  const range = { start: { line: 2, character: 4 }, end: { line: 2, character: 10 } };
  const cases = [
    { name: 'before the start', line: 2, character: 3, inside: false },
    { name: 'at the start', line: 2, character: 4, inside: true },
    { name: 'at the end', line: 2, character: 10, inside: true },
    { name: 'past the end', line: 2, character: 11, inside: false },
    { name: 'another line', line: 3, character: 5, inside: false },
  ];
  for (const c of cases) {
    it(`rangeContains: ${c.name}`, () => {
      assert.equal(rangeContains(range, { line: c.line, character: c.character }), c.inside);
    });
  }
  it('ranks severities from error to hint', () => {
    assert.deepEqual(
      (['hint', 'error', 'info', 'warning'] as const).map(severityRank),
      [3, 0, 2, 1],
    );
  });
});
