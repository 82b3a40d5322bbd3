/**
 * The rules through the real analyzer: source text in, findings and quick fixes out, fixes applied
 * back to the text. Checks that rule inputs (parameter names, ranges, evidence) line up with what
 * the extractors produce.
 */
import assert from 'node:assert/strict';
import {
  ParserFactory,
  SourceAnalyzer,
  type FileReport,
  type TextEdit,
} from '../../../src/core/index';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));

/** `text` with one edit applied (0-based line/character). */
function apply(text: string, edit: TextEdit): string {
  const lines = text.split('\n');
  const offset = (line: number, character: number) =>
    lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + character;
  const start = offset(edit.range.start.line, edit.range.start.character);
  const end = offset(edit.range.end.line, edit.range.end.character);
  return text.slice(0, start) + edit.newText + text.slice(end);
}

const hits = (report: FileReport) => report.findings.map((f) => `${f.rule}@${lineOf(f)}`);
const lineOf = (f: FileReport['findings'][number]) =>
  f.location.type === 'text' ? f.location.range.start.line : -1;

const PYTHON = [
  'import torch.nn as nn',
  'from torch.utils.data import DataLoader',
  'gn = nn.GroupNorm(32, 48)',
  'bn = nn.BatchNorm2d(64, momentum=0.99)',
  'head = nn.BatchNorm1d(256, eps=0)',
  'lrn = nn.LocalResponseNorm(4)',
  'ln = nn.LayerNorm(1)',
  'lazy = nn.LazyBatchNorm2d()  # normlens: ignore[lazy-norm]',
  'loader = DataLoader(ds, batch_size=64)',
  '',
].join('\n');

describe('rules end to end (Python)', () => {
  it('reports each risky layer on its line', async () => {
    const report = await analyzer.analyzePython(PYTHON);
    assert.deepEqual(hits(report).sort(), [
      'bn-batch1-train@4',
      'bn-eps-nonpositive@4',
      'gn-divisibility@2',
      'lrn-even-size@5',
      'momentum-convention@3',
      'norm-degenerate-reduction@6',
    ]);
  });

  const fixes = [
    ['gn-divisibility', 'Use 24 groups', 'gn = nn.GroupNorm(24, 48)'],
    [
      'momentum-convention',
      'Use momentum=0.01 (PyTorch convention)',
      'bn = nn.BatchNorm2d(64, momentum=0.01)',
    ],
    ['bn-eps-nonpositive', 'Use eps=1e-5 (the default)', 'head = nn.BatchNorm1d(256, eps=1e-5)'],
    [
      'bn-batch1-train',
      'Set drop_last=True on the DataLoader',
      'loader = DataLoader(ds, batch_size=64, drop_last=True)',
    ],
    ['lrn-even-size', 'Use size=5', 'lrn = nn.LocalResponseNorm(5)'],
  ] as const;
  for (const [rule, title, line] of fixes) {
    it(`${rule}: "${title}" edits the text`, async () => {
      const report = await analyzer.analyzePython(PYTHON);
      const fix = report.findings
        .flatMap((f) => (f.rule === rule ? f.fixes : []))
        .find((x) => x.title === title);
      assert.ok(fix, `no fix "${title}"`);
      const fixed = fix.edits.reduce(apply, PYTHON);
      assert.ok(fixed.split('\n').includes(line), fixed);
    });
  }
});

describe('rules end to end (drop_last fix)', () => {
  const loaderCases = [
    [
      'an explicit False is replaced',
      'DataLoader(ds, 64, drop_last=False)',
      'DataLoader(ds, 64, drop_last=True)',
    ],
    [
      'a missing keyword is added',
      'DataLoader(ds, batch_size=8)',
      'DataLoader(ds, batch_size=8, drop_last=True)',
    ],
    ['**kwargs could already set it: no edit', 'DataLoader(ds, batch_size=8, **kw)', undefined],
  ] as const;
  for (const [name, call, fixedCall] of loaderCases) {
    it(name, async () => {
      const text = [
        'import torch.nn as nn',
        'from torch.utils.data import DataLoader',
        'bn = nn.BatchNorm1d(16)',
        `loader = ${call}`,
        '',
      ].join('\n');
      const report = await analyzer.analyzePython(text);
      const finding = report.findings.find((f) => f.rule === 'bn-batch1-train');
      assert.ok(finding, 'no bn-batch1-train finding');
      const fix = finding.fixes[0];
      if (fixedCall === undefined) {
        assert.equal(fix, undefined);
        return;
      }
      assert.ok(fix, 'no fix');
      assert.equal(fix.edits.reduce(apply, text).split('\n')[3], `loader = ${fixedCall}`);
    });
  }
});

const CONTEXT = [
  'import torch.nn as nn',
  'net = nn.Sequential(',
  '    nn.Conv2d(3, 64, 3),',
  '    nn.BatchNorm2d(32),',
  '    nn.Linear(64, 10),',
  '    nn.Dropout(0.2),',
  '    nn.BatchNorm1d(10),',
  ')',
  '',
].join('\n');

describe('rules end to end (PyTorch producer context)', () => {
  it('reads the producing layer and the dropout before each norm', async () => {
    const report = await analyzer.analyzePython(CONTEXT);
    assert.deepEqual(hits(report).sort(), [
      'bias-before-bn@3',
      'dropout-before-bn@6',
      'norm-features-mismatch@3',
    ]);
  });

  const fixes = [
    [
      'bias-before-bn',
      'Remove the bias of Conv2d (bias=False)',
      '    nn.Conv2d(3, 64, 3, bias=False),',
    ],
    ['norm-features-mismatch', 'Use num_features=64', '    nn.BatchNorm2d(64),'],
  ] as const;
  for (const [rule, title, line] of fixes) {
    it(`${rule}: "${title}" edits the text`, async () => {
      const report = await analyzer.analyzePython(CONTEXT);
      const fix = report.findings
        .flatMap((f) => (f.rule === rule ? f.fixes : []))
        .find((x) => x.title === title);
      assert.ok(fix, `no fix "${title}"`);
      assert.ok(fix.edits.reduce(apply, CONTEXT).split('\n').includes(line));
    });
  }
});

const TFJS = [
  "import * as tf from '@tensorflow/tfjs';",
  'const model = tf.sequential();',
  "model.add(tf.layers.conv2d({filters: 16, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [3, 32, 32]}));",
  'model.add(tf.layers.batchNormalization({axis: -1, momentum: 0.1}));',
  'model.add(tf.layers.dense({units: 8}));',
  '// normlens-ignore bias-before-bn',
  'model.add(tf.layers.batchNormalization());',
  '',
].join('\n');

describe('rules end to end (TensorFlow.js)', () => {
  it('reads the producer layer and momentum convention, and honours // normlens-ignore', async () => {
    const report = await analyzer.analyzeSource(TFJS, {
      language: 'javascript',
      grammar: 'javascript',
    });
    assert.deepEqual(hits(report).sort(), ['bn-channel-axis@3', 'momentum-convention@3']);
    const axisFix = report.findings.find((f) => f.rule === 'bn-channel-axis')?.fixes[0];
    assert.ok(axisFix);
    assert.ok(
      axisFix.edits.reduce(apply, TFJS).includes('batchNormalization({axis: 1, momentum: 0.1})'),
    );
  });
});
