// The status-bar item counts the active file's findings.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'the status bar shows the number of NormLens findings of the active file',
  async run(workbench) {
    await workbench.openFile('two_blocks.py');
    const item = workbench.page.locator('.statusbar-item', { hasText: 'NormLens: 4' }).first();
    await item.waitFor({ timeout: 60000 });
    assert.match(await item.innerText(), /NormLens: 4/);
    await workbench.screenshot('61-status-bar');
    await workbench.openFile('train.py');
    await workbench.page
      .locator('.statusbar-item', { hasText: 'NormLens: 2' })
      .first()
      .waitFor({ timeout: 60000 });
    await workbench.dismiss();
  },
};
