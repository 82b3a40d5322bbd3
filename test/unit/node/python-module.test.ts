import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pythonModuleOf, type PackageFolderCache } from '../../../src/node/python-module';

describe('pythonModuleOf', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'normlens-pkg-'));
  const file = (relative: string): string => {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, '');
    return full;
  };
  file('outer/__init__.py');
  file('outer/pkg/__init__.py');
  const module = file('outer/pkg/layers.py');
  const init = path.join(root, 'outer/pkg/__init__.py');
  const script = file('scripts/train.py');

  const cases: readonly [string, string, string, object][] = [
    [
      'a module inside nested packages',
      module,
      root,
      { module: 'outer.pkg.layers', isPackage: false },
    ],
    ['a package __init__', init, root, { module: 'outer.pkg', isPackage: true }],
    ['a script outside any package', script, root, { module: 'train', isPackage: false }],
    [
      'the lookup stops at the workspace folder',
      module,
      path.join(root, 'outer/pkg'),
      { module: 'pkg.layers', isPackage: false },
    ],
  ];
  for (const [name, target, stopAt, expected] of cases) {
    it(name, async () => assert.deepEqual(await pythonModuleOf(target, stopAt), expected));
  }

  it('looks each folder up once per cache, so a run sees the tree as it was when it looked', async () => {
    const later = file('later/model.py');
    const cache: PackageFolderCache = new Map();
    assert.deepEqual(await pythonModuleOf(later, root, cache), {
      module: 'model',
      isPackage: false,
    });
    file('later/__init__.py');
    assert.deepEqual(await pythonModuleOf(later, root, cache), {
      module: 'model',
      isPackage: false,
    });
    assert.deepEqual(await pythonModuleOf(later, root), {
      module: 'later.model',
      isPackage: false,
    });
    assert.deepEqual(await pythonModuleOf(later, root, new Map()), {
      module: 'later.model',
      isPackage: false,
    });
  });
});
