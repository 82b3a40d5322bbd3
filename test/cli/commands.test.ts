/**
 * `normlens inventory`, `normlens rules`, `--help` and `--version` (built CLI).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from '../../src/core/index';
import { ROOT, run } from './run-cli';

const FIXTURES = path.join(ROOT, 'test', 'fixtures');

describe('normlens inventory (built CLI)', () => {
  it('lists an ONNX model’s normalization layers as a table', () => {
    const { code, stdout } = run(['inventory', 'onnx/exported/bn_train_op15.onnx'], FIXTURES);
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'onnx/exported/bn_train_op15.onnx');
    assert.match(
      lines[1] ?? '',
      /^# +kind +op +nodes +eps +momentum +axis +dtype +form +findings$/,
    );
    assert.match(
      lines[2] ?? '',
      /^1 +BatchNorm +BatchNormalization +\/bn\/BatchNormalization +.*warning onnx-bn-training-mode$/,
    );
    assert.match(lines.at(-1) ?? '', /^1 normalization layer/);
  });

  it('prints the same rows as JSON', () => {
    const { code, stdout } = run(
      ['inventory', '--format', 'json', 'onnx/generated/groupnorm_decomposed_g4.onnx'],
      FIXTURES,
    );
    assert.equal(code, 0);
    const inventory = JSON.parse(stdout) as {
      language: string;
      layers: { kind: string; op: string; nodes: string[]; form: string; epsilon: unknown }[];
    };
    assert.equal(inventory.language, 'onnx');
    assert.deepEqual(
      inventory.layers.map((l) => [l.kind, l.op, l.nodes.length, l.form]),
      [['GroupNorm', 'decomposed GroupNorm', 9, 'decomposed (9 nodes)']],
    );
  });

  it('lists a tfjs model.json, and exits 2 on a corrupt model or a source file', () => {
    const tfjs = run(['inventory', 'tfjs/sequential-bn.model.json'], FIXTURES);
    assert.equal(tfjs.code, 0);
    assert.match(tfjs.stdout, /BatchNorm/);
    const bad = run(['inventory', 'onnx/bad/truncated.onnx'], FIXTURES);
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /error {2}Truncated or corrupt ONNX model/);
    const source = run(['inventory', 'workspace/train.py'], FIXTURES);
    assert.equal(source.code, 2);
    assert.match(source.stderr, /inventory reads \.onnx and model\.json files/);
  });
});

describe('normlens rules, --help, --version (built CLI)', () => {
  it('lists every rule with its docs link', () => {
    const { code, stdout } = run(['rules']);
    assert.equal(code, 0);
    for (const rule of RULES) {
      assert.match(
        stdout,
        new RegExp(`^${rule.catalogId} {2}${rule.id} +${rule.defaultSeverity}`, 'm'),
      );
      assert.ok(stdout.includes(`/docs/rules/${rule.id}.md`), rule.id);
    }
    const json = JSON.parse(run(['rules', '--format', 'json']).stdout) as {
      id: string;
      docs: string;
    }[];
    assert.deepEqual(
      json.map((r) => r.id),
      RULES.map((r) => r.id),
    );
  });

  it('prints usage and the package version', () => {
    const help = run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /normlens check <paths…>/);
    assert.match(help.stdout, /--format text\|json\|sarif/);
    const version = run(['--version']);
    assert.equal(version.code, 0);
    assert.equal(
      version.stdout.trim(),
      (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
        .version,
    );
  });
});
