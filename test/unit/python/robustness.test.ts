import assert from 'node:assert/strict';
import { extract } from './parse';

describe('python extraction: robustness', () => {
  it('keeps sites around a syntax error and reports the error', async () => {
    const text = [
      'import torch.nn as nn',
      'a = nn.BatchNorm2d(8)',
      'def broken(:',
      '    x = = 1',
      'b = nn.BatchNorm1d(4)',
    ].join('\n');
    const { sites, errors } = await extract(text);
    assert.deepEqual(
      sites.map((s) => [s.variant, s.location.type === 'text' && s.location.range.start.line]),
      [
        ['BatchNorm2d', 1],
        ['BatchNorm1d', 4],
      ],
    );
    assert.ok(errors.length > 0);
    assert.ok(errors.every((e) => e.range && e.range.start.line >= 2 && e.range.start.line <= 3));
  });

  it('counts columns in UTF-16 code units after non-ASCII text', async () => {
    const prefix = 'x = ("é😀", ';
    const text = `import torch.nn as nn\n${prefix}nn.BatchNorm2d(8))\n`;
    const [site] = (await extract(text)).sites;
    assert.equal(prefix.length, 12, 'the emoji is two UTF-16 code units');
    assert.equal(site?.nameRange?.start.character, prefix.length);
    assert.equal(site?.nameRange?.end.character, prefix.length + 'nn.BatchNorm2d'.length);
  });

  it('never throws on arbitrary input', async () => {
    for (const text of [
      '',
      '\0\0',
      '(((((',
      'import',
      'from . import *',
      '"""',
      'nn.BatchNorm2d(',
    ]) {
      const result = await extract(text);
      assert.ok(Array.isArray(result.sites));
    }
  });

  it('returns no errors for a clean file', async () => {
    assert.deepEqual((await extract('import torch\n')).errors, []);
  });
});
