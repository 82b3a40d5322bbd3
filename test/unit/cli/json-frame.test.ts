import assert from 'node:assert/strict';
import { ITEMS_PLACEHOLDER, JsonFrame } from '../../../src/cli/json-frame';

/** Prints `document` with `items` as its large array, through the frame, in one string. */
function framed(shape: (items: readonly unknown[]) => unknown, items: readonly unknown[]): string {
  const frame = new JsonFrame(shape(ITEMS_PLACEHOLDER));
  return frame.pieces(items.map((item) => frame.item(item))).join('');
}

describe('JsonFrame', () => {
  const items: readonly unknown[] = [
    { path: 'a.py', sites: [], findings: [{ line: 1, related: [] }], errors: {} },
    'a line\nbreak and a "quote"',
    [1, [2, []], { deep: { deeper: [null] } }],
    42,
  ];
  const shapes: readonly [string, (items: readonly unknown[]) => unknown][] = [
    ['at the second level', (files) => ({ version: 1, files })],
    [
      'deep inside, with keys after it',
      (results) => ({ runs: [{ tool: { rules: [1, 2] }, results, after: { x: [] } }] }),
    ],
    ['as the whole document', (all) => all],
  ];
  for (const [name, shape] of shapes) {
    it(`prints what JSON.stringify prints, ${name}`, () => {
      assert.equal(framed(shape, items), JSON.stringify(shape(items), null, 2));
      assert.equal(
        framed(shape, items.slice(0, 1)),
        JSON.stringify(shape(items.slice(0, 1)), null, 2),
      );
    });
    it(`prints an empty array as [], ${name}`, () => {
      assert.equal(framed(shape, []), JSON.stringify(shape([]), null, 2));
    });
  }

  it('refuses a document without the placeholder, or with it twice', () => {
    assert.throws(() => new JsonFrame({ files: [] }));
    assert.throws(() => new JsonFrame({ a: ITEMS_PLACEHOLDER, b: ITEMS_PLACEHOLDER }));
  });
});
