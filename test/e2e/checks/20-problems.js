// The Problems panel lists the finding with its rule id and source.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'the Problems panel shows bn-small-batch for train.py',
  async run(workbench) {
    await workbench.openFile('train.py');
    const rows = await workbench.readProblems({
      expect: /BatchNorm2d trains on batches of 2/,
      timeout: 60000,
    });
    const row = rows.find((text) => text.includes('BatchNorm2d trains on batches of 2'));
    assert.ok(row, rows.join('\n'));
    assert.match(row, /NormLens/);
    assert.match(row, /bn-small-batch/);
    await workbench.screenshot('20-problems');
    await workbench.dismiss();
  },
};
