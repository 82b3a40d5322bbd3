import assert from 'node:assert/strict';
import { emptyReport } from '../../../src/core/index';
import { batchSize, encodeOutcome, OrderedOutcomes } from '../../../src/node/analysis-pool';
import type { CheckedOutcome } from '../../../src/node/analysis-task';

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
