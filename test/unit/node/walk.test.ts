import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectInputFiles } from '../../../src/node/walk';

describe('collectInputFiles', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'normlens-walk-'));
  const files: Readonly<Record<string, string>> = {
    '.gitignore': '# build output\nout/\n*.tmp.py\n/top_only.py\n',
    'top_only.py': '',
    'a.py': '',
    'a.tmp.py': '',
    'out/x.py': '',
    'lib/top_only.py': '',
    'lib/.gitignore': '!keep.tmp.py\nsecret/\n',
    'lib/keep.tmp.py': '',
    'lib/drop.tmp.py': '',
    'lib/secret/y.py': '',
    'lib/model.onnx': '',
    'lib/model.json': '',
    'lib/config.json': '',
    'lib/app.tsx': '',
    'lib/types.d.ts': '',
    '__pycache__/z.py': '',
  };
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), text);
  }
  const relative = (list: readonly string[]): string[] =>
    list.map((file) => path.relative(root, file).split(path.sep).join('/'));

  it('applies root and nested .gitignore rules, anchored patterns and negations', async () => {
    assert.deepEqual(relative(await collectInputFiles([root])), [
      'a.py',
      'lib/app.tsx',
      'lib/keep.tmp.py',
      'lib/model.json',
      'lib/model.onnx',
      'lib/top_only.py',
    ]);
  });

  it('adds exclude globs relative to the walked folder, and can skip .gitignore', async () => {
    assert.deepEqual(
      relative(await collectInputFiles([root], { exclude: ['lib/*.onnx', '*.tsx'] })),
      ['a.py', 'lib/keep.tmp.py', 'lib/model.json', 'lib/top_only.py'],
    );
    assert.ok(relative(await collectInputFiles([root], { gitignore: false })).includes('out/x.py'));
  });

  it('keeps explicit file paths whatever the ignore rules say', async () => {
    const ignored = path.join(root, 'a.tmp.py');
    assert.deepEqual(await collectInputFiles([ignored]), [ignored]);
  });
});
