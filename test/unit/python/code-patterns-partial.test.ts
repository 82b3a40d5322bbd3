/**
 * Code facts come from the top-level statements holding the patterns' tokens only: they must equal
 * what the finders report over the whole parsed file, including patterns whose parts lie in
 * different statements.
 */
import assert from 'node:assert/strict';
import { findCodeFacts } from '../../../src/core/python/code-patterns';
import { findUnbiasedInstanceStats } from '../../../src/core/python/code-patterns-adain';
import { findRsqrtWithoutEps } from '../../../src/core/python/code-patterns-frozen-bn';
import {
  findRuntimeEvidence,
  findStateReads,
  readsPlainSelf,
} from '../../../src/core/python/code-patterns-runtime';
import { textReader } from '../../../src/core/syntax/ranges';
import { pythonParser } from './parse';

/** Every finder over the whole text, parsed at once. */
async function wholeFileFacts(text: string) {
  const tree = (await pythonParser()).parse(text);
  assert.ok(tree);
  try {
    const read = textReader(text);
    return {
      rsqrtWithoutEps: findRsqrtWithoutEps(tree.rootNode, read),
      unbiasedInstanceStats: findUnbiasedInstanceStats(tree.rootNode, read),
      runtime: findRuntimeEvidence(tree.rootNode, read),
      stateReads: findStateReads(tree.rootNode, read),
    };
  } finally {
    tree.delete();
  }
}

/** A file holding every pattern, with unrelated statements between their parts. */
const FILE = [
  'import torch',
  'import torch.nn as nn',
  '',
  'def helper(x):',
  '    return x + 1',
  '',
  'class FrozenBN(nn.Module):',
  '    def forward(self, x):',
  '        scale = self.weight * self.running_var.rsqrt()',
  '        return x * scale',
  '',
  'def calc_mean_std(feat):',
  '    n, c = feat.shape[:2]',
  '    var = feat.view(n, c, -1).var(dim=2) + 1e-5',
  '    return feat.view(n, c, -1).mean(dim=2), var.sqrt()',
  '',
  'CONSTANT = 3',
  '',
  'def adain(content, style):',
  '    mean, std = calc_mean_std(style)',
  '    return content * std + mean',
  '',
  'norm = nn.SyncBatchNorm(8)',
  'inorm = nn.InstanceNorm2d(8)',
  'model = torch.nn.parallel.DistributedDataParallel(model)',
  'print(inorm.weight)',
  'print(other.bias)',
  'if other.bias is None:',
  '    pass',
  'loss.backward()',
  'weights = inorm.running_mean.cpu()',
  '',
].join('\n');

describe('Python code patterns over the statements that hold their tokens', () => {
  it('equal the whole-file findings, with callers and None checks in other statements', async () => {
    const found = findCodeFacts(await pythonParser(), FILE);
    const whole = await wholeFileFacts(FILE);
    assert.deepEqual(found, whole);
    // Each pattern is there, so the comparison covers all four finders.
    assert.equal(whole.rsqrtWithoutEps.length, 1);
    assert.equal(whole.unbiasedInstanceStats[0]?.rescale.range.start.line, 20);
    assert.deepEqual(
      whole.runtime.map((r) => r.kind),
      ['ddp', 'backward', 'cpu'],
    );
    assert.deepEqual(
      whole.stateReads.map((r) => `${r.target}.${r.attribute}`),
      ['inorm.weight', 'inorm.running_mean'],
    );
  });

  it('a pattern token only in a comment gives empty facts, as a whole-file parse does', async () => {
    const text = '# rsqrt and .var( live here only\nx = 1\n';
    assert.deepEqual(findCodeFacts(await pythonParser(), text), await wholeFileFacts(text));
  });

  it('tells a state read on a plain self from any other', () => {
    /** Whether the read of `.weight`, `.bias` or `.running_var` in `source` is on a plain self. */
    const onSelf = (source: string) =>
      readsPlainSelf(source, source.search(/\.\s*(?:\\\n\s*)?(?:weight|bias|running_var)/));
    assert.equal(onSelf('class A:\n    def f(self):\n        self.weight = w\n'), true);
    assert.equal(onSelf('y = f(self.bias)\n'), true);
    assert.equal(onSelf('y = [1, self.running_var]\n'), true);
    assert.equal(onSelf('y = m.weight\n'), false);
    assert.equal(onSelf('y = myself.weight\n'), false);
    assert.equal(onSelf('y = x.self.weight\n'), false);
    assert.equal(onSelf('y = (x.\n     self.weight)\n'), false);
    assert.equal(onSelf('y = (x. # note\n     self.weight)\n'), false);
    assert.equal(onSelf('y = x. \\\n    self.weight\n'), false);
    assert.equal(onSelf('y = m.\\\n    weight\n'), false);
  });

  it('reads a statement whose token is in code, and not one whose token is in a docstring', async () => {
    const text = [
      'import torch',
      'norm = nn.SyncBatchNorm(8)',
      'def f(x):',
      '    """Moves x to the cpu before the backward pass."""',
      '    return x',
      'y = t.to("cpu")',
      '',
    ].join('\n');
    assert.deepEqual(findCodeFacts(await pythonParser(), text), await wholeFileFacts(text));
    assert.deepEqual(
      findCodeFacts(await pythonParser(), text)?.runtime.map((r) => r.kind),
      ['cpu'],
    );
  });
});
