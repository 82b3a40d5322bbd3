import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyReport } from '../../../src/core/index';
import {
  analyzeAll,
  batchSize,
  encodeOutcome,
  OrderedOutcomes,
} from '../../../src/node/analysis-pool';
import type { AnalysisTask, CheckedOutcome } from '../../../src/node/analysis-task';

describe('batchSize', () => {
  it('sends up to 16 files a message while much work is left', () => {
    assert.equal(batchSize(5000, 2), 16);
    assert.equal(batchSize(5000, 8), 16);
  });

  it('shrinks towards single files as the work runs out', () => {
    // 2 jobs × 2 batches in flight × 4: a quarter of each worker's share stays in one batch.
    assert.equal(batchSize(100, 2), 6);
    assert.equal(batchSize(16, 2), 1);
    assert.equal(batchSize(1, 2), 1);
  });
});

describe('OrderedOutcomes', () => {
  const outcome = (file: string): CheckedOutcome => ({ file, report: emptyReport('python') });

  it('hands outcomes over in the given order as soon as all before them have arrived', () => {
    const seen: [number, string][] = [];
    // Tasks 0..3, printed in the order 2, 0, 3, 1.
    const ordered = new OrderedOutcomes([2, 0, 3, 1], (index, o) => seen.push([index, o.file]));
    ordered.put(0, outcome('a'));
    assert.deepEqual(seen, []);
    ordered.put(2, encodeOutcome(outcome('c')));
    assert.deepEqual(seen, [
      [2, 'c'],
      [0, 'a'],
    ]);
    ordered.put(1, outcome('b'));
    assert.equal(seen.length, 2);
    ordered.put(3, outcome('d'));
    assert.deepEqual(seen.slice(2), [
      [3, 'd'],
      [1, 'b'],
    ]);
  });

  it('gives the tasks that never answered the missing outcome at the end, in order', () => {
    const seen: string[] = [];
    const ordered = new OrderedOutcomes([0, 1, 2], (_index, o) => seen.push(o.file));
    ordered.put(1, outcome('b'));
    ordered.finish((index) => outcome(`missing ${index}`));
    assert.deepEqual(seen, ['missing 0', 'b', 'missing 2']);
  });

  it('decodes what a worker sent as UTF-8 JSON, characters outside Latin-1 included', () => {
    const sent: CheckedOutcome = {
      file: 'ü/≥.py',
      report: emptyReport('python', [{ message: 'momentum ≥ 0.5 → slow', kind: 'limit' }]),
      ioError: 'EACCES',
    };
    const seen: CheckedOutcome[] = [];
    new OrderedOutcomes([0], (_index, o) => seen.push(o)).put(0, encodeOutcome(sent));
    assert.deepEqual(seen, [JSON.parse(JSON.stringify(sent))]);
  });
});

describe('analyzeAll with workers', () => {
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'normlens-pool-'));
  });

  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A worker script that quits without a word as soon as it is given files. */
  function quittingWorker(): string {
    const script = join(scratch, 'quitting-worker.cjs');
    writeFileSync(
      script,
      "require('node:worker_threads').parentPort.on('message', () => process.exit(0));\n",
    );
    return script;
  }

  it('reports the files of a worker that exits without an error instead of waiting for it', async () => {
    const tasks: AnalysisTask[] = ['a.py', 'b.py', 'c.py'].map((name) => ({
      file: join(scratch, name),
      root: scratch,
      rules: {},
    }));
    const seen: CheckedOutcome[] = [];
    const outcomes = new OrderedOutcomes([0, 1, 2], (_index, outcome) => seen.push(outcome));
    await analyzeAll(
      tasks,
      {
        jobs: 2,
        workerScript: quittingWorker(),
        wasmFolder: scratch,
        localAnalyzer: () => assert.fail('two jobs run in workers'),
      },
      outcomes,
    );
    assert.deepEqual(
      seen.map((outcome) => outcome.file),
      tasks.map((task) => task.file),
    );
    for (const outcome of seen) {
      assert.match(outcome.report.errors[0]?.message ?? '', /analysis crashed: the worker stopped/);
    }
  });
});
