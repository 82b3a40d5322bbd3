import assert from 'node:assert/strict';
import type { MentionUse } from '../../../src/core/python/lexical-scan';
import {
  OpaqueSpans,
  boundNames,
  normLikeCalls,
  normMentions,
} from '../../../src/core/python/lexical-scan';
import { splitStatements } from '../../../src/core/python/statements';

/** The opaque spans (comments, strings) of `text`. */
function opaqueOf(text: string): OpaqueSpans {
  const spans: number[] = [];
  splitStatements(text, spans);
  return new OpaqueSpans(spans);
}

describe('python lexical scan: how a norm name is used', () => {
  const cases: readonly { code: string; uses: MentionUse[] }[] = [
    { code: 'x = nn.BatchNorm2d(3)', uses: ['call'] },
    { code: 'x = nn.BatchNorm2d', uses: ['bound'] },
    { code: 'def f(norm=nn.LayerNorm): pass', uses: ['bound'] },
    { code: 'd = {"bn": nn.BatchNorm1d}', uses: ['bound'] },
    { code: 'p = partial(\n    nn.GroupNorm, 2)', uses: ['bound'] },
    { code: 'class A(nn.BatchNorm2d): pass', uses: ['bound'] },
    { code: 'class A(M, nn.BatchNorm2d): pass', uses: ['listed'] },
    { code: 'y = isinstance(m, nn.BatchNorm2d)', uses: ['listed'] },
    { code: 'y = type(m) == nn.BatchNorm2d', uses: ['other'] },
    { code: 'y = m != nn.BatchNorm2d', uses: ['other'] },
    { code: 's = {nn.BatchNorm2d}', uses: ['other'] },
    { code: 't = ((nn.BatchNorm2d, nn.Conv2d),)', uses: ['other'] },
    { code: 't = (nn.BatchNorm2d)', uses: ['bound'] },
    { code: '# nn.BatchNorm2d(3)\n"nn.LayerNorm(2)"', uses: [] },
    { code: 'f"{nn.LayerNorm(2)}"', uses: ['call'] },
    // An attribute of a norm class is judged by the class name: kept, which is safe.
    { code: 'x = nn.SyncBatchNorm.convert_sync_batchnorm(m)', uses: ['bound'] },
  ];
  for (const { code, uses } of cases) {
    it(JSON.stringify(code), () => {
      assert.deepEqual(
        [...normMentions(code, opaqueOf(code))].map((mention) => mention.use),
        uses,
      );
    });
  }
});

describe('python lexical scan: calls of norm-like names', () => {
  it('finds bare and self. calls and subscript calls, not other attributes or strings', () => {
    const code = [
      'a = norm_layer(c)',
      'b = self.bn1(x)',
      'c = norms["bn"](4)',
      'd = torch.norm(x)',
      'e = "norm_layer(c)"',
      'f = other.bn(x)',
    ].join('\n');
    assert.deepEqual(
      [...normLikeCalls(code, opaqueOf(code))].map((call) => [call.name, call.isSelf]),
      [
        ['norm_layer', false],
        ['bn1', true],
        ['norms', false],
      ],
    );
  });
});

describe('python lexical scan: names references may resolve through', () => {
  it('keeps names bound to values and partials, drops names bound only to calls', () => {
    const names = boundNames(
      [
        'from functools import partial as P',
        'A = nn.BatchNorm2d',
        'B = P(nn.GroupNorm, 2)',
        'C = make(3)',
        'self.d = nn.Conv2d(1, 2, 3)',
        'e: Callable = None',
        'class F(nn.Module): pass',
        'x == y',
      ].join('\n'),
    );
    for (const name of ['A', 'B', 'e', 'F']) {
      assert.ok(names.has(name), name);
    }
    for (const name of ['C', 'd', 'x', 'y']) {
      assert.ok(!names.has(name), name);
    }
  });

  it('with parameters, adds plain parameter names', () => {
    assert.ok(boundNames('def f(c, norm):\n    return norm(c)', true).has('norm'));
    assert.ok(!boundNames('def f(c, norm):\n    return norm(c)').has('norm'));
  });
});
