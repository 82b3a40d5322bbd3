/**
 * An open document's code facts, kept between edits: after every edit they equal a fresh
 * findCodeFacts of the text, and an editor session's report equals a fresh analysis.
 */
import assert from 'node:assert/strict';
import { ParserFactory, SourceAnalyzer } from '../../../src/core/index';
import { CodeFactsDocument, findCodeFacts } from '../../../src/core/python/code-patterns';
import type { TextChange } from '../../../src/core/python/incremental';
import { nodeModulesWasmLoader } from '../helpers/wasm';
import { pythonParser } from './parse';
import { edit } from '../helpers/edits';

/** Replaces the first `find` of `text` by `by`. */
function replace(text: string, find: string, by: string): { text: string; change: TextChange } {
  const at = text.indexOf(find);
  assert.ok(at >= 0, `step text ${find}`);
  return edit(text, at, at + find.length, by);
}

const INITIAL = [
  'import torch',
  'import torch.nn as nn',
  '',
  'BATCH = 64',
  '',
  'def helper(x):',
  '    return x + 1',
  '',
  'class FrozenBN(nn.Module):',
  '    def forward(self, x):',
  '        rv = self.running_var.reshape(1, -1, 1, 1)',
  '        return x * rv.rsqrt()',
  '',
  'def stats(x):',
  '    s = x.std(dim=[2, 3], keepdim=True)',
  '    m = x.mean(dim=[2, 3], keepdim=True)',
  '    return m, s',
  '',
  'def adain(x, y):',
  '    ym, ys = stats(y)',
  '    return x * ys + ym',
  '',
  'norm = nn.SyncBatchNorm(8)',
  'inorm = nn.InstanceNorm2d(8)',
  'print(inorm.weight)',
  'loss.backward()',
  '',
].join('\n');

/** Each step replaces the first occurrence of `find` by `by`. */
const STEPS: readonly (readonly [find: string, by: string])[] = [
  // Typing in a statement without tokens, on one line and over new lines.
  ['x + 1', 'x + 12'],
  ['def helper', 'VALUE = 3\n\ndef helper'],
  ['BATCH = 64\n', 'BATCH = 64\n# a comment\n\n'],
  // A new caller of stats(), above the old one: its re-scaling is found first.
  ['    return x + 12', '    a, b = stats(x)\n    return x * b + a'],
  // Guarding the variance removes the finding; the token stays.
  ['rv.rsqrt()', '(rv + 1e-5).rsqrt()'],
  ['(rv + 1e-5).rsqrt()', 'rv.rsqrt()'],
  // A string left open swallows the statements below, then is closed again.
  ['BATCH = 64', 'BATCH = """64'],
  ['BATCH = """64', 'BATCH = 64'],
  // An open bracket in a statement without tokens, then its repair.
  ['VALUE = 3', 'VALUE = (3'],
  ['VALUE = (3', 'VALUE = 3'],
  // A clause and an indented body typed under a statement that holds tokens.
  ['\nnorm = nn', '\n    y = inorm.bias\nnorm = nn'],
  ['loss.backward()', 'loss.backward()\nelse:\n    pass'],
  // Tokens typed into a statement that had none, and removed.
  ['VALUE = 3', 'VALUE = m.running_var.cpu()'],
  ['VALUE = m.running_var.cpu()', 'VALUE = 3'],
  // Removing the token that wanted state reads, then a whole block.
  ['nn.InstanceNorm2d(8)', 'nn.LayerNorm(8)'],
  ['class FrozenBN', '# class FrozenBN'],
  ['def stats(x):\n', ''],
];

describe('CodeFactsDocument', () => {
  it('equals a fresh findCodeFacts after every edit', async () => {
    const parser = await pythonParser();
    const document = new CodeFactsDocument(parser, INITIAL);
    try {
      assert.deepEqual(document.facts, findCodeFacts(parser, INITIAL));
      let text = INITIAL;
      for (const [find, by] of STEPS) {
        const next = replace(text, find, by);
        text = next.text;
        assert.deepEqual(document.update(text, [next.change]), findCodeFacts(parser, text), by);
        assert.equal(document.text, text);
      }
    } finally {
      document.dispose();
    }
  });

  it('keeps the facts of an edit on one line of a statement without tokens', async () => {
    const parser = await pythonParser();
    const document = new CodeFactsDocument(parser, INITIAL);
    try {
      const before = document.facts;
      assert.equal(before?.rsqrtWithoutEps.length, 1);
      const next = replace(INITIAL, 'x + 1', 'x + 2');
      assert.equal(document.update(next.text, [next.change]), before);
    } finally {
      document.dispose();
    }
  });

  it('moves the facts below an edit that adds lines', async () => {
    const parser = await pythonParser();
    const document = new CodeFactsDocument(parser, INITIAL);
    try {
      const line = document.facts?.rsqrtWithoutEps[0]?.range.start.line;
      const next = replace(INITIAL, 'x + 1', 'x + 1\n    # two\n    # lines');
      const moved = document.update(next.text, [next.change]);
      assert.equal(moved?.rsqrtWithoutEps[0]?.range.start.line, (line ?? 0) + 2);
      assert.deepEqual(moved, findCodeFacts(parser, next.text));
    } finally {
      document.dispose();
    }
  });

  it('applies several changes in order, and parses afresh without changes', async () => {
    const parser = await pythonParser();
    const document = new CodeFactsDocument(parser, INITIAL);
    try {
      const first = replace(INITIAL, 'x + 1', 'x.cpu()');
      const second = replace(first.text, 'rv.rsqrt()', 'torch.rsqrt(rv)');
      const facts = document.update(second.text, [first.change, second.change]);
      assert.deepEqual(facts, findCodeFacts(parser, second.text));
      const lost = replace(second.text, 'BATCH', 'SIZE').text;
      assert.deepEqual(document.update(lost), findCodeFacts(parser, lost));
    } finally {
      document.dispose();
    }
  });
});

describe('SourceAnalyzer.openPython with code facts', () => {
  const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));

  it('gives the same report as a fresh analysis after every edit', async () => {
    const session = await analyzer.openPython(INITIAL);
    try {
      assert.deepEqual(session.report, await analyzer.analyzePython(INITIAL));
      assert.ok(session.report.context.codeFacts);
      let text = INITIAL;
      for (const [find, by] of STEPS) {
        const next = replace(text, find, by);
        text = next.text;
        const report = session.update(text, [next.change]);
        assert.deepEqual(report, await analyzer.analyzePython(text), by);
      }
    } finally {
      session.dispose();
    }
  });
});
