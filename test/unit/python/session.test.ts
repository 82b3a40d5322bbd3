import assert from 'node:assert/strict';
import { ParserFactory, SourceAnalyzer } from '../../../src/core/index';
import { nodeModulesWasmLoader } from '../helpers/wasm';
import { edit } from '../helpers/edits';

const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));

const INITIAL = [
  'import torch',
  'import torch.nn as nn',
  'from torch.utils.data import DataLoader',
  '',
  'BATCH = 64',
  '',
  'def helper(x):',
  '    return x + 1',
  '',
  'class Net(nn.Module):',
  '    def __init__(self, c):',
  '        super().__init__()',
  '        self.conv = nn.Conv2d(3, c, 3)',
  '        self.bn = nn.BatchNorm2d(c, momentum=0.99)',
  '    def forward(self, x):',
  '        return self.bn(self.conv(x))',
  '',
  'loader = DataLoader(ds, batch_size=BATCH)',
  '',
].join('\n');

/** Each step finds a string in the current text and replaces it (or inserts after it). */
const STEPS: readonly { readonly find: string; readonly replace: string; readonly by: string }[] = [
  // Typing inside a statement that holds no site (moved, not reparsed).
  { find: 'x + 1', replace: 'x + 1', by: 'x + 12' },
  // A new line among skipped statements shifts everything below.
  { find: 'def helper', replace: '', by: 'VALUE = 3\n\n' },
  // Editing a site's argument.
  { find: 'momentum=0.99', replace: 'momentum=0.99', by: 'momentum=0.1' },
  // Making the batch small changes the findings.
  { find: 'BATCH = 64', replace: 'BATCH = 64', by: 'BATCH = 2' },
  // A syntax error in the middle, then its repair.
  { find: '        self.conv', replace: '        self.conv', by: '        self.conv = (' },
  { find: '        self.conv = (', replace: '        self.conv = (', by: '        self.conv' },
  // Precision evidence typed into a skipped function.
  { find: '    return x + 12', replace: '    return x + 12', by: '    return x.half()' },
  // Removing the bias, deleting a whole block, and a new site at the end.
  {
    find: 'nn.Conv2d(3, c, 3)',
    replace: 'nn.Conv2d(3, c, 3)',
    by: 'nn.Conv2d(3, c, 3, bias=False)',
  },
  { find: 'VALUE = 3\n\n', replace: 'VALUE = 3\n\n', by: '' },
  { find: 'loader =', replace: '', by: 'ln = nn.LayerNorm(1)\n' },
];

describe('SourceAnalyzer.openPython', () => {
  it('gives the same report as a fresh analysis after every edit', async () => {
    const session = await analyzer.openPython(INITIAL);
    try {
      assert.deepEqual(session.report, await analyzer.analyzePython(INITIAL));
      let text = INITIAL;
      for (const step of STEPS) {
        const at = text.indexOf(step.find);
        assert.ok(at >= 0, `step text ${step.find}`);
        const next = edit(text, at, at + step.replace.length, step.by);
        text = next.text;
        const report = session.update(text, [next.change]);
        assert.deepEqual(report, await analyzer.analyzePython(text), `after ${step.by}`);
        assert.equal(session.text, text);
      }
      assert.ok(session.report.findings.length > 0);
    } finally {
      session.dispose();
    }
  });

  it('applies several changes of one update in order', async () => {
    const session = await analyzer.openPython(INITIAL);
    try {
      const first = edit(INITIAL, INITIAL.indexOf('0.99'), INITIAL.indexOf('0.99') + 4, '0.5');
      const at = first.text.indexOf('BATCH = 64') + 'BATCH = '.length;
      const second = edit(first.text, at, at + 2, '1');
      const report = session.update(second.text, [first.change, second.change]);
      assert.deepEqual(report, await analyzer.analyzePython(second.text));
    } finally {
      session.dispose();
    }
  });

  it('parses afresh when the changes cannot lead to the text (a lost edit)', async () => {
    const session = await analyzer.openPython(INITIAL);
    try {
      const lost = edit(INITIAL, 0, 0, '# a comment the host did not report\n');
      const at = lost.text.indexOf('0.99');
      const reported = edit(lost.text, at, at + 4, '0.9');
      const report = session.update(reported.text, [reported.change]);
      assert.deepEqual(report, await analyzer.analyzePython(reported.text));
    } finally {
      session.dispose();
    }
  });

  it('takes a new rule configuration on update', async () => {
    const session = await analyzer.openPython(INITIAL);
    try {
      const rules = { 'momentum-convention': { severity: 'off' as const } };
      const report = session.update(INITIAL, [], rules);
      assert.deepEqual(report, await analyzer.analyzePython(INITIAL, { rules }));
      assert.ok(!report.findings.some((finding) => finding.rule === 'momentum-convention'));
    } finally {
      session.dispose();
    }
  });
});
