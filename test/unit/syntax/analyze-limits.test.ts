import assert from 'node:assert/strict';
import { SourceAnalyzer } from '../../../src/core/analyze';
import { ParserFactory } from '../../../src/core/syntax/parsers';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));
const SOURCE = 'import torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\n';
/** SOURCE followed by a comment that takes it past 1 KB. */
const LARGE = `${SOURCE}# ${'x'.repeat(1024)}\n`;

describe('source limits in the analyzer', () => {
  it('honours the maxFileSizeKB a host passes, with one visible limit error', async () => {
    assert.equal((await analyzer.analyzePython(LARGE)).sites.length, 1);
    const report = await analyzer.analyzePython(LARGE, { maxFileSizeKB: 1 });
    assert.deepEqual(report.sites, []);
    assert.deepEqual(report.errors, [
      { kind: 'limit', message: 'NormLens skipped this file: 2 KB is above the size limit (1 KB)' },
    ]);
    const script = `import * as tf from '@tensorflow/tfjs';\n// ${'x'.repeat(2048)}\ntf.batchNorm(x);\n`;
    const scripted = await analyzer.analyzeSource(
      script,
      { language: 'typescript', grammar: 'typescript' },
      { maxFileSizeKB: 2 },
    );
    assert.equal(scripted.errors[0]?.kind, 'limit');
  });

  it('reports nesting beyond the limits instead of analysing', async () => {
    const deep = `x = ${'['.repeat(2_000)}${']'.repeat(2_000)}\n${SOURCE}`;
    const report = await analyzer.analyzePython(deep);
    assert.deepEqual(report.sites, []);
    assert.deepEqual(report.errors, [
      {
        kind: 'limit',
        message:
          'NormLens skipped this file: brackets are nested 2000 deep on line 1 (the limit is 256)',
      },
    ]);
  });

  it('folds nothing past a 20,000-term sum, without a stack overflow', async () => {
    // The fuzz input f78c8a028c34e47a.ts.txt, and its Python twin.
    const terms = 'a+'.repeat(20_000);
    const script = `import * as tf from '@tensorflow/tfjs';\nconst x = [${terms}a];\ntf.batchNorm(x);\n`;
    const tfjs = await analyzer.analyzeSource(script, {
      language: 'typescript',
      grammar: 'typescript',
    });
    assert.deepEqual(tfjs.errors, []);
    assert.equal(tfjs.sites.length, 1);
    const python = await analyzer.analyzePython(
      `import torch.nn as nn\nC = ${'1+'.repeat(20_000)}1\nbn = nn.BatchNorm2d(C)\n`,
    );
    assert.deepEqual(python.errors, []);
    assert.equal(python.sites.length, 1);
    // Unknown rather than a guess; a short sum still folds.
    assert.equal(python.sites[0]?.params['num_features']?.source, 'unknown');
    const short = await analyzer.analyzePython(
      `import torch.nn as nn\nC = ${'1+'.repeat(50)}1\nbn = nn.BatchNorm2d(C)\n`,
    );
    assert.equal(short.sites[0]?.params['num_features']?.value, 51);
  });

  it('an editor session over a limit resumes when the text comes back under it', async () => {
    const session = await analyzer.openPython(SOURCE, { maxFileSizeKB: 1 });
    try {
      assert.equal(session.report.sites.length, 1);
      const over = session.update(LARGE);
      assert.deepEqual(over.sites, []);
      assert.equal(over.errors[0]?.kind, 'limit');
      assert.equal(session.text, LARGE);
      const back = session.update(SOURCE);
      assert.equal(back.sites.length, 1);
      assert.deepEqual(back.errors, []);
    } finally {
      session.dispose();
    }
  });
});
