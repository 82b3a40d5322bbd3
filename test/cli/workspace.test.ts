/**
 * `normlens check` on folders: .gitignore and --exclude, project settings, a corrupt model in the
 * middle of a tree, exit codes, worker threads, colour, and the text output snapshot.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, run } from './run-cli';

const PROJECT = path.join(ROOT, 'test', 'fixtures', 'cli', 'project');
const SNAPSHOT = path.join(__dirname, '__snapshots__', 'project.txt');
const BAD_MODEL = path.join(ROOT, 'test', 'fixtures', 'onnx', 'bad', 'truncated.onnx');
const GOOD_MODEL = path.join(ROOT, 'test', 'fixtures', 'onnx', 'exported', 'bn_eval_op15.onnx');

const SMALL_BATCH = [
  'import torch.nn as nn',
  'from torch.utils.data import DataLoader',
  'net = nn.Sequential(nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8))',
  'loader = DataLoader(data, batch_size=2)',
  '',
].join('\n');

/** Writes `files` (path → text or a file to copy) under a new temporary folder. */
function tree(files: Readonly<Record<string, string | { copy: string }>>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'normlens-tree-'));
  for (const [relative, content] of Object.entries(files)) {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    if (typeof content === 'string') {
      writeFileSync(full, content);
    } else {
      copyFileSync(content.copy, full);
    }
  }
  return root;
}

interface JsonFiles {
  files: {
    path: string;
    sites: unknown[];
    findings: { rule: string }[];
    errors: { kind?: string }[];
  }[];
}

function checkedPaths(stdout: string): string[] {
  return (JSON.parse(stdout) as JsonFiles).files.map((f) => f.path);
}

describe('normlens check on a folder (built CLI)', () => {
  it('respects .gitignore files (nested ones and negations) and --exclude', () => {
    const root = tree({
      '.gitignore': 'build/\n*.gen.py\n',
      'a.py': SMALL_BATCH,
      'build/out.py': SMALL_BATCH,
      'pkg/b.gen.py': SMALL_BATCH,
      'pkg/c.py': SMALL_BATCH,
      'pkg/.gitignore': 'local_*.py\n!keep.gen.py\n',
      'pkg/local_d.py': SMALL_BATCH,
      'pkg/keep.gen.py': SMALL_BATCH,
      'pkg/vendor/e.py': SMALL_BATCH,
      'node_modules/f.py': SMALL_BATCH,
      '.venv/g.py': SMALL_BATCH,
      'web/model.ts': 'export const x = 1;\n',
      'web/types.d.ts': 'export type X = number;\n',
      'notes.txt': 'not a source',
    });
    const all = run(['check', '--format', 'json', '.'], root);
    assert.deepEqual(checkedPaths(all.stdout), [
      'a.py',
      'pkg/c.py',
      'pkg/keep.gen.py',
      'pkg/vendor/e.py',
      'web/model.ts',
    ]);
    const excluded = run(
      ['check', '--format', 'json', '--exclude', 'vendor/', '--exclude', '*.ts', '.'],
      root,
    );
    assert.deepEqual(checkedPaths(excluded.stdout), ['a.py', 'pkg/c.py', 'pkg/keep.gen.py']);
  });

  it('reports a corrupt model in the middle of a tree and still analyses the rest (exit 2)', () => {
    const root = tree({
      'a_first.py': SMALL_BATCH,
      'models/bad.onnx': { copy: BAD_MODEL },
      'models/good.onnx': { copy: GOOD_MODEL },
      'z_last.py': SMALL_BATCH,
    });
    for (const jobs of ['1', '2']) {
      const { code, stdout } = run(['check', '--format', 'json', '--jobs', jobs, '.'], root);
      assert.equal(code, 2, `--jobs ${jobs}`);
      const files = (JSON.parse(stdout) as JsonFiles).files;
      assert.deepEqual(
        files.map((f) => [f.path, f.sites.length, f.errors.map((e) => e.kind)]),
        [
          ['a_first.py', 1, []],
          ['models/bad.onnx', 0, ['invalid']],
          ['models/good.onnx', 1, []],
          ['z_last.py', 1, []],
        ],
        `--jobs ${jobs}`,
      );
    }
    const text = run(['check', '.'], root);
    assert.match(text.stdout, /^models\/bad\.onnx\n {2}error {2}Truncated or corrupt ONNX model/m);
    assert.match(
      text.stdout,
      /3 normalization sites in 4 files; 2 warnings; 1 file not analysed\.\n$/,
    );
  });

  it('gives the same report with 1 and 2 worker threads', () => {
    const one = run(['check', '--format', 'json', '--jobs', '1', '.'], PROJECT);
    const two = run(['check', '--format', 'json', '--jobs', '2', '.'], PROJECT);
    assert.equal(one.code, 1);
    assert.equal(two.code, 1);
    assert.equal(two.stdout, one.stdout);
  });

  it('applies normlens.json at the root of the checked folder, or --config', () => {
    const root = tree({ 'a.py': SMALL_BATCH });
    const rulesOf = (stdout: string): string[] =>
      (JSON.parse(stdout) as JsonFiles).files.flatMap((f) => f.findings.map((x) => x.rule));
    assert.deepEqual(rulesOf(run(['check', '--format', 'json', '.'], root).stdout), [
      'bn-small-batch',
    ]);
    writeFileSync(path.join(root, 'normlens.json'), '{ "rules": { "bn-small-batch": "off" } }');
    assert.deepEqual(rulesOf(run(['check', '--format', 'json', '.'], root).stdout), []);
    const other = path.join(root, 'pyproject.toml');
    writeFileSync(other, '[tool.normlens.rules.bn-small-batch]\nseverity = "error"\n');
    const configured = run(['check', '--config', other, '--fail-on', 'error', 'a.py'], root);
    assert.equal(configured.code, 1);
    assert.match(configured.stdout, /error {2}bn-small-batch/);
  });

  it('exits 2 with file and line on a malformed settings file', () => {
    const root = tree({
      'a.py': SMALL_BATCH,
      'normlens.json': '{\n  "rules": {\n    "bn-smal-batch": "off"\n  }\n}\n',
    });
    const { code, stderr, stdout } = run(['check', '.'], root);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /normlens\.json:3:1: unknown rule 'bn-smal-batch'/);
  });

  it('exits 0, 1 or 2 by --fail-on and errors', () => {
    const root = tree({ 'a.py': SMALL_BATCH, 'clean.py': 'import torch.nn as nn\n' });
    assert.equal(run(['check', 'a.py'], root).code, 0, 'a warning is below --fail-on error');
    assert.equal(run(['check', '--fail-on', 'warning', 'a.py'], root).code, 1);
    assert.equal(run(['check', '--fail-on', 'hint', 'clean.py'], root).code, 0);
    assert.equal(run(['check', '--jobs', '0', 'a.py'], root).code, 2);
    assert.equal(run(['check', 'missing.py'], root).code, 2);
  });

  it('colours text only when asked or on a terminal, and never with NO_COLOR', () => {
    const ansi = /\u001b\[/;
    assert.doesNotMatch(run(['check', '.'], PROJECT).stdout, ansi, 'a pipe is not a TTY');
    assert.match(run(['check', '.'], PROJECT, { FORCE_COLOR: '1' }).stdout, ansi);
    assert.doesNotMatch(
      run(['check', '.'], PROJECT, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout,
      ansi,
    );
    assert.equal(run(['check', '.'], PROJECT).stderr, '', 'no progress bar off a TTY');
  });

  it('prints the fixture project as in the text snapshot', () => {
    const { stdout } = run(['check', '.'], PROJECT);
    if (process.env['UPDATE_SNAPSHOTS'] === '1') {
      writeFileSync(SNAPSHOT, stdout);
    }
    assert.equal(stdout, readFileSync(SNAPSHOT, 'utf8'));
  });
});
