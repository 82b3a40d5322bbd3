/**
 * The packed npm tarball runs as `normlens` with no VS Code and no node_modules: `npm pack`, then
 * the bin from an extracted copy.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, run } from './run-cli';

describe('npm pack (built CLI)', function () {
  this.timeout(180000);
  let bin = '';
  let tarball = '';

  before(() => {
    const folder = mkdtempSync(path.join(tmpdir(), 'normlens-pack-'));
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', folder], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const [packed] = JSON.parse(output) as { filename: string }[];
    tarball = path.join(folder, packed?.filename ?? '');
    execFileSync('tar', ['xzf', tarball, '-C', folder]);
    const manifest = JSON.parse(
      readFileSync(path.join(folder, 'package', 'package.json'), 'utf8'),
    ) as { bin: Record<string, string> };
    bin = path.join(folder, 'package', manifest.bin['normlens'] ?? '');
  });

  it('ships the bin with its worker and parsers, runnable as a script', () => {
    assert.ok(existsSync(bin));
    assert.match(readFileSync(bin, 'utf8'), /^#!\/usr\/bin\/env node\n/);
    assert.ok(existsSync(path.join(path.dirname(bin), 'cli-worker.js')));
    assert.ok(existsSync(path.join(path.dirname(bin), 'wasm', 'tree-sitter-python.wasm')));
  });

  it('checks a project from the extracted copy, with worker threads', () => {
    const project = path.join(ROOT, 'test', 'fixtures', 'cli', 'project');
    const { code, stdout } = run(['check', '--jobs', '2', '.'], project, {}, bin);
    assert.equal(code, 1);
    assert.equal(
      stdout,
      readFileSync(path.join(__dirname, '__snapshots__', 'project.txt'), 'utf8'),
    );
  });

  it('runs as `npx normlens` from the tarball', () => {
    const version = execFileSync(
      'npx',
      ['--yes', `--package=${tarball}`, 'normlens', '--version'],
      { cwd: path.dirname(tarball), encoding: 'utf8' },
    );
    assert.equal(
      version.trim(),
      (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
        .version,
    );
  });
});
