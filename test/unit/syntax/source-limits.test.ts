import assert from 'node:assert/strict';
import {
  editedLimitError,
  sourceLimitError,
  type SourceLimits,
} from '../../../src/core/syntax/source-limits';

const SMALL: SourceLimits = { maxFileSizeKB: 1, maxNesting: 3, maxIndentLevels: 2 };

/** `levels` nested `if` blocks, each indented one column deeper than its parent. */
function staircase(levels: number, indent: (level: number) => string): string {
  const lines: string[] = [];
  for (let level = 0; level < levels; level++) {
    lines.push(`${indent(level)}if x:`);
  }
  lines.push(`${indent(levels)}pass`);
  return `${lines.join('\n')}\n`;
}

describe('source limits', () => {
  it('accepts ordinary code under the defaults', () => {
    const text =
      'import torch\nclass A:\n    def f(self, x):\n        return g([x, (1, {2: 3})])\n';
    assert.equal(sourceLimitError(text, 'python'), undefined);
    assert.equal(sourceLimitError('f(a[b({ c: 1 })]);', 'typescript'), undefined);
  });

  it('refuses a text above the size limit, counting UTF-16 units', () => {
    assert.equal(sourceLimitError('x'.repeat(1024), 'python', SMALL), undefined);
    assert.deepEqual(sourceLimitError('x'.repeat(1025), 'python', SMALL), {
      kind: 'limit',
      message: 'NormLens skipped this file: 2 KB is above the size limit (1 KB)',
    });
    const defaults = sourceLimitError('#'.repeat(2048 * 1024 + 1), 'javascript');
    assert.equal(defaults?.kind, 'limit');
    assert.match(defaults?.message ?? '', /2049 KB is above the size limit \(2048 KB\)/);
  });

  it('measures bracket nesting over (), [] and {} with the line it peaks on', () => {
    assert.equal(sourceLimitError('x = ([{1}])\n', 'python', SMALL), undefined);
    assert.deepEqual(sourceLimitError('a = 1\nx = ([{(1)}])\n', 'python', SMALL), {
      kind: 'limit',
      message: 'NormLens skipped this file: brackets are nested 4 deep on line 2 (the limit is 3)',
    });
    // Closers without openers never make the depth negative (which would hide a later deep part).
    assert.equal(sourceLimitError(')))' + '((((', 'typescript', SMALL)?.kind, 'limit');
    // Siblings do not add up.
    assert.equal(sourceLimitError('f(a)(b)(c)(d)[e][f]{g}', 'typescript', SMALL), undefined);
  });

  it('counts Python indentation levels like the tokenizer', () => {
    const spaces = (level: number) => ' '.repeat(level);
    assert.equal(sourceLimitError(staircase(2, spaces), 'python', SMALL), undefined);
    assert.deepEqual(sourceLimitError(staircase(3, spaces), 'python', SMALL), {
      kind: 'limit',
      message:
        'NormLens skipped this file: blocks are indented 3 levels deep on line 4 (the limit is 2)',
    });
    // A tab moves to the next multiple of 8: "\t" and 8 spaces are the same level.
    const mixed = 'if a:\n\tif b:\n        if c:\n\t\tpass\n';
    assert.equal(sourceLimitError(mixed, 'python', SMALL), undefined);
    // Blank and comment-only lines do not open or close levels; a dedent closes every deeper one.
    const dedent = 'if a:\n  if b:\n\n      # note\n    pass\nif c:\n  if d:\n    pass\n';
    assert.equal(sourceLimitError(dedent, 'python', SMALL), undefined);
  });

  it('ignores indentation in scripts', () => {
    assert.equal(
      sourceLimitError(
        staircase(10, (l) => ' '.repeat(l)),
        'typescript',
        SMALL,
      ),
      undefined,
    );
  });

  it('stops the fuzz inputs that broke tree-sitter before they are parsed', () => {
    // 512 levels (tabs and spaces) after an open f-string: tree-sitter-python's scanner overruns.
    const deep = staircase(512, (l) => '\t'.repeat(Math.floor(l / 8)) + ' '.repeat(l % 8));
    const error = sourceLimitError(`x = f"{\n${deep}`, 'python');
    assert.equal(error?.kind, 'limit');
    assert.match(error?.message ?? '', /indented 512 levels deep/);
    const parens = sourceLimitError(`x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}`, 'python');
    assert.match(parens?.message ?? '', /nested 10000 deep on line 1 \(the limit is 256\)/);
  });

  describe('after one edit', () => {
    const deep = 'x = f([g({1: h(2)})])\n';
    const cases: readonly {
      readonly name: string;
      readonly text: string;
      readonly removed: string;
      readonly inserted: string;
      readonly refused: boolean;
    }[] = [
      { name: 'a letter typed', text: 'x = f(1)\n', removed: '', inserted: 'y', refused: false },
      {
        name: 'a bracket typed past the nesting limit',
        text: deep,
        removed: '',
        inserted: '(',
        refused: true,
      },
      { name: 'a bracket removed', text: 'x = f(1\n', removed: ')', inserted: '', refused: false },
      {
        name: 'no bracket, though already too deep',
        text: deep,
        removed: '',
        inserted: 'y',
        refused: false,
      },
      {
        name: 'indentation past the limit, tabs',
        text: staircase(3, (level) => '\t'.repeat(level)),
        removed: '',
        inserted: 'y',
        refused: true,
      },
      {
        name: 'a text over the size limit',
        text: 'x'.repeat(1025),
        removed: '',
        inserted: 'x',
        refused: true,
      },
    ];
    for (const { name, text, removed, inserted, refused } of cases) {
      it(`${refused ? 'refuses' : 'accepts'} ${name}`, () => {
        const error = editedLimitError(text, { removed, inserted }, 'python', SMALL);
        assert.equal(error?.kind, refused ? 'limit' : undefined);
      });
    }
  });
});
