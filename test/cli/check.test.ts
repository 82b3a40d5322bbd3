/**
 * The built CLI (`dist/cli.js`) end to end: exit codes, text and JSON output on real files.
 * Run after `npm run build`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT as root, run } from './run-cli';

interface JsonOutput {
  version: number;
  files: {
    path: string;
    language: string;
    sites: {
      kind: string;
      variant: string;
      line: number;
      column: number;
      params: Record<string, { value: unknown; source: string }>;
    }[];
    findings: {
      rule: string;
      severity: string;
      message: string;
      line: number;
      column: number;
      related: { path: string; line: number; message: string }[];
    }[];
    errors: { message: string }[];
  }[];
}

describe('normlens check (built CLI)', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'normlens-cli-'));
  const train = path.join(folder, 'train.py');
  writeFileSync(
    train,
    [
      'import torch.nn as nn',
      'from torch.utils.data import DataLoader',
      'BATCH = 2',
      'net = nn.Sequential(nn.Conv2d(3, 64, 3), nn.BatchNorm2d(64, eps=1e-3))',
      'loader = DataLoader(data, batch_size=BATCH)',
      '',
    ].join('\n'),
  );
  const clean = path.join(folder, 'clean.py');
  writeFileSync(clean, 'import torch.nn as nn\nnorm = nn.BatchNorm1d(128)\n');

  it('prints the JSON contract with 1-based positions and relative paths', () => {
    const { code, stdout } = run(['check', '--format', 'json', 'train.py'], folder);
    assert.equal(code, 0, 'a warning is below the default --fail-on error');
    const output = JSON.parse(stdout) as JsonOutput;
    assert.equal(output.version, 1);
    const [file] = output.files;
    assert.equal(file?.path, 'train.py');
    assert.equal(file?.language, 'python');
    assert.deepEqual(
      file?.sites.map((s) => [s.kind, s.variant, s.line, s.column]),
      [['batchnorm', 'BatchNorm2d', 4, 42]],
    );
    assert.deepEqual(file?.sites[0]?.params['eps'], {
      value: 1e-3,
      source: 'literal',
      expression: '1e-3',
    });
    assert.deepEqual(file?.sites[0]?.params['momentum'], { value: 0.1, source: 'default' });
    const finding = file?.findings[0];
    assert.equal(finding?.rule, 'bn-small-batch');
    assert.equal(finding?.severity, 'warning');
    assert.match(finding?.message ?? '', /batches of 2/);
    assert.deepEqual(
      finding?.related.map((r) => [r.path, r.line, r.message]),
      [['train.py', 5, 'batch_size=2 here']],
    );
  });

  it('exits 1 when a finding reaches --fail-on', () => {
    assert.equal(run(['check', '--fail-on', 'warning', train]).code, 1);
    assert.equal(run(['check', '--fail-on', 'info', clean]).code, 0);
    assert.equal(run(['check', '--fail-on', 'none', train]).code, 0);
  });

  it('prints findings as text grouped by file', () => {
    const { code, stdout } = run(['check', '.'], folder);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /^train\.py\n {2}4:42 {2}warning {2}bn-small-batch {2}BatchNorm2d trains on batches of 2/m,
    );
    assert.match(stdout, / {6}5:10 {2}batch_size=2 here/);
    assert.match(
      stdout,
      / {2}4:42 {2}hint {2}bias-before-bn {2}Conv2d adds a bias that BatchNorm2d cancels/,
    );
    assert.match(stdout, /2 normalization sites in 2 files; 1 warning, 1 hint\.\n$/);
  });

  it('exits 2 on usage and I/O errors', () => {
    const missing = run(['check', path.join(folder, 'nope.py')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /ENOENT/);
    const usage = run(['check', '--format', 'xml', train]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--format must be text or json/);
  });
});

describe('normlens check on models (built CLI)', () => {
  const fixtures = path.join(root, 'test', 'fixtures');

  it('reports ONNX sites and findings by node names', () => {
    const { code, stdout } = run(
      ['check', '--format', 'json', 'onnx/exported/bn_train_op15.onnx'],
      fixtures,
    );
    assert.equal(code, 0);
    const [file] = (
      JSON.parse(stdout) as {
        files: {
          language: string;
          sites: { kind: string; nodes: string[] }[];
          findings: { rule: string; nodes: string[] }[];
        }[];
      }
    ).files;
    assert.equal(file?.language, 'onnx');
    assert.deepEqual(
      file?.sites.map((s) => [s.kind, s.nodes]),
      [['batchnorm', ['/bn/BatchNormalization']]],
    );
    assert.deepEqual(
      file?.findings.map((f) => [f.rule, f.nodes]),
      [['onnx-bn-training-mode', ['/bn/BatchNormalization']]],
    );
  });

  it('exits 2 with the byte offset on a corrupt model, and still reports the other files', () => {
    const { code, stdout } = run(
      ['check', '--format', 'json', 'onnx/bad', 'onnx/exported/bn_eval_op15.onnx'],
      fixtures,
    );
    assert.equal(code, 2);
    const files = (
      JSON.parse(stdout) as {
        files: {
          path: string;
          sites: unknown[];
          errors: { message: string; kind?: string; offset?: number }[];
        }[];
      }
    ).files;
    const bad = files.filter((f) => f.path.startsWith('onnx/bad/'));
    assert.ok(bad.length > 0);
    for (const file of bad) {
      assert.equal(file.errors[0]?.kind, 'invalid', file.path);
      assert.match(file.errors[0]?.message ?? '', /offset 0x[0-9a-f]+/i, file.path);
    }
    assert.equal(files.find((f) => f.path.endsWith('bn_eval_op15.onnx'))?.sites.length, 1);
  });

  it('reads a tfjs model.json and flags layers tfjs cannot load', () => {
    const { code, stdout } = run(['check', 'tfjs/functional-keras.model.json'], fixtures);
    assert.equal(code, 1);
    assert.match(
      stdout,
      /error {2}tfjs-unsupported-norm-layer {2}GroupNormalization is not a TensorFlow\.js layer/,
    );
  });
});
