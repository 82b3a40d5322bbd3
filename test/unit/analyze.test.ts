import assert from 'node:assert/strict';
import {
  hoverMarkdown,
  ParserFactory,
  siteAt,
  SourceAnalyzer,
  findingsOnSite,
} from '../../src/core/index';
import { nodeModulesWasmLoader } from './helpers/wasm';

const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));

const TRAIN = [
  'import torch.nn as nn',
  'from torch.utils.data import DataLoader',
  'BATCH = 4',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.bn = nn.BatchNorm2d(64, momentum=0.1)',
  'train_loader = DataLoader(ds, batch_size=BATCH, shuffle=True)',
  'val_loader = DataLoader(val, batch_size=1)',
  '',
].join('\n');

describe('SourceAnalyzer (Python)', () => {
  it('finds the site, the batch and the finding, with the callee as written', async () => {
    const report = await analyzer.analyzePython(TRAIN);
    assert.equal(report.language, 'python');
    assert.deepEqual(
      report.sites.map((s) => [s.variant, s.callee]),
      [['BatchNorm2d', 'nn.BatchNorm2d']],
    );
    assert.deepEqual(
      report.findings.map((f) => [f.rule, f.severity]),
      [['bn-small-batch', 'warning']],
    );
    assert.match(report.findings[0]?.message ?? '', /batches of 4/);
    assert.deepEqual(report.errors, []);
  });

  it('answers hovers with the reduction, parameters and finding', async () => {
    const report = await analyzer.analyzePython(TRAIN);
    const site = siteAt(report, { line: 6, character: 24 });
    assert.ok(site);
    const markdown = hoverMarkdown(site, findingsOnSite(report, site));
    assert.match(markdown, /^\*\*BatchNorm2d\*\* — /);
    assert.match(markdown, /Normalizes per channel/);
    assert.match(markdown, /\| num_features \| `64` \| written here \|/);
    assert.match(markdown, /\| momentum \| `0\.1` \| written here/);
    assert.match(markdown, /\| eps \| `1e-5` \| default/);
    assert.doesNotMatch(markdown, /\| device \|/);
    assert.match(markdown, /\*\*warning\*\* `bn-small-batch`/);
  });

  it('applies rule settings', async () => {
    const off = await analyzer.analyzePython(TRAIN, {
      rules: { 'bn-small-batch': { severity: 'off' } },
    });
    assert.equal(off.findings.length, 0);
    const lenient = await analyzer.analyzePython(TRAIN, {
      rules: { 'bn-small-batch': { thresholds: { warnBelow: 2, infoBelow: 4 } } },
    });
    assert.equal(lenient.findings.length, 0);
  });

  it('keeps results for intact code around a syntax error', async () => {
    const broken = TRAIN.replace('class Net(nn.Module):', 'class Net(nn.Module:\n    x = (');
    const report = await analyzer.analyzePython(broken);
    assert.ok(report.errors.length > 0);
    assert.ok(report.context.batchSizes.some((b) => b.value === 4));
  });

  it('never throws on hostile text', async () => {
    for (const text of [
      '',
      '\u0000\uffff',
      '('.repeat(5000),
      'nn.BatchNorm2d(' + ')'.repeat(10),
      'x = "\ud800"',
    ]) {
      const report = await analyzer.analyzePython(text);
      assert.ok(Array.isArray(report.sites));
    }
  });
});
