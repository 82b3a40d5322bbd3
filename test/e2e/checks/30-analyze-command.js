// "NormLens: Analyze Current File" from the palette fills the NormLens view and says what it found.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'Analyze Current File lists the site and its finding in the NormLens view',
  async run(workbench) {
    await workbench.openFile('train.py');
    await workbench.runCommand('NormLens: Analyze Current File');
    const toast = await workbench.waitForToast(
      'NormLens: 1 normalization site, 2 findings in train.py',
    );
    assert.match(toast, /1 normalization site, 2 findings/);
    const view = workbench.page.locator('.pane', {
      has: workbench.page.locator('.pane-header', { hasText: 'NormLens' }),
    });
    const site = view.locator('.monaco-list-row', { hasText: 'BatchNorm2d' });
    await site.first().waitFor({ timeout: 15000 });
    const finding = view.locator('.monaco-list-row', { hasText: 'bn-small-batch' });
    await finding.first().waitFor({ timeout: 15000 });
    assert.match(await site.first().innerText(), /line 11/);
    await workbench.screenshot('30-analyze-command');
    // Clicking the finding jumps to the BatchNorm line: the status bar shows the cursor there.
    await finding.first().click();
    await workbench.page
      .locator('.statusbar-item', { hasText: /Ln 11, Col/ })
      .first()
      .waitFor({ timeout: 10000 });
    await workbench.dismiss();
  },
};
