import assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/index';
import { applySuppressions, directiveOf } from '../../../src/core/rules/suppression';
import { lineRange } from '../helpers/sites';

function finding(rule: string, line: number): Finding {
  return {
    rule,
    severity: 'warning',
    message: rule,
    location: { type: 'text', range: lineRange(line, 4) },
    related: [],
    fixes: [],
  };
}

const kept = (
  text: string,
  findings: readonly Finding[],
  style: 'python' | 'javascript' = 'python',
) =>
  applySuppressions(text, findings, style).map(
    (f) => `${f.rule}@${f.location.type === 'text' ? f.location.range.start.line : '-'}`,
  );

describe('inline suppression', () => {
  const directives = [
    ['x = f()  # normlens: ignore', 'python', 'all'],
    ['x = f()  # normlens: ignore[bn-small-batch]', 'python', ['bn-small-batch']],
    ['# normlens:ignore[a, b]', 'python', ['a', 'b']],
    ['x = f()  # other comment', 'python', undefined],
    [
      'const bn = tf.layers.batchNormalization(); // normlens-ignore momentum-convention',
      'javascript',
      ['momentum-convention'],
    ],
    ['// normlens-ignore', 'javascript', 'all'],
    ['// normlens-ignore a, b', 'javascript', ['a', 'b']],
    ['// normlens-ignored', 'javascript', undefined],
  ] as const;
  for (const [line, style, expected] of directives) {
    it(`reads ${JSON.stringify(line)}`, () => {
      const directive = directiveOf(line, style);
      assert.deepEqual(directive instanceof Set ? [...directive] : directive, expected);
    });
  }

  const python = [
    'import torch.nn as nn',
    'bn = nn.BatchNorm2d(64, momentum=0.99)  # normlens: ignore[momentum-convention]',
    '# normlens: ignore[bn-small-batch]',
    'other = nn.BatchNorm2d(64)',
    'x = 1  # normlens: ignore',
    'third = nn.BatchNorm2d(64)',
    'fourth = nn.BatchNorm2d(64)  # normlens: ignore',
  ].join('\n');

  it('drops only the named rule on the same line', () => {
    assert.deepEqual(
      kept(python, [finding('momentum-convention', 1), finding('bn-small-batch', 1)]),
      ['bn-small-batch@1'],
    );
  });

  it('honours a comment-only directive on the line above', () => {
    assert.deepEqual(
      kept(python, [finding('bn-small-batch', 3), finding('momentum-convention', 3)]),
      ['momentum-convention@3'],
    );
  });

  it('does not let a trailing directive silence the next line', () => {
    assert.deepEqual(kept(python, [finding('bn-small-batch', 5)]), ['bn-small-batch@5']);
  });

  it('a bare directive silences every rule on its line', () => {
    assert.deepEqual(kept(python, [finding('bn-small-batch', 6), finding('lazy-norm', 6)]), []);
  });

  it('reads JavaScript comments', () => {
    const js = [
      '// normlens-ignore momentum-convention',
      'const bn = tf.layers.batchNormalization({momentum: 0.1});',
    ].join('\n');
    assert.deepEqual(
      kept(js, [finding('momentum-convention', 1), finding('bn-small-batch', 1)], 'javascript'),
      ['bn-small-batch@1'],
    );
  });

  it('does not read Python directives in JavaScript', () => {
    assert.deepEqual(kept('x  # normlens: ignore', [finding('a', 0)], 'javascript'), ['a@0']);
  });

  it('keeps model (graph) findings', () => {
    const graph: Finding = { ...finding('a', 0), location: { type: 'graph', nodes: ['n'] } };
    assert.deepEqual(kept('# normlens: ignore', [graph]), ['a@-']);
  });

  it('handles CRLF line ends', () => {
    assert.deepEqual(kept('a\r\nb  # normlens: ignore\r\n', [finding('x', 1)]), []);
  });
});
