import assert from 'node:assert/strict';
import { batchSize } from '../../../src/node/analysis-pool';

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
