// The hover's "Visualize in panel" link opens the panel pre-filled from the code: the layer's
// channels and the DataLoader's batch size, marked on the batch-noise view.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'the hover link opens the panel with the layer and the batch from the code',
  settings: { 'editor.hover.delay': 100 },
  async run(workbench) {
    await workbench.runCommand('View: Close All Editors');
    await workbench.openFile('train.py');
    await workbench.hoverWord('BatchNorm2d', {
      line: 'self.bn = nn.BatchNorm2d(64)',
      expect: 'Visualize in panel',
      timeout: 60000,
    });
    await workbench.page
      .locator('.monaco-hover a', { hasText: 'Visualize in panel' })
      .first()
      .click();
    await workbench.activeTab('NormLens: Normalization').waitFor({ timeout: 30000 });
    await workbench.page.mouse.move(5, 5);
    await workbench.dismiss();
    const frame = await workbench.webviewFrame('NormLens: Normalization');
    await frame
      .locator('#preset-origin code', { hasText: 'BatchNorm2d' })
      .waitFor({ timeout: 30000 });
    assert.equal(await frame.locator('#channels').inputValue(), '64');
    assert.equal(await frame.locator('#batch').inputValue(), '2');
    await frame
      .locator('#noise', { hasText: 'N = 2 (from your code)' })
      .waitFor({ timeout: 30000 });
    await workbench.screenshot('44-panel-from-hover');
  },
};
