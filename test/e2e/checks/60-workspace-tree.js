// "NormLens: Analyze Workspace" fills the NormLens view; "Group by Rule" regroups it by rule, and a
// finding under a rule jumps to its line.
'use strict';
const assert = require('node:assert/strict');

/**
 * Switches the view's grouping with its title-bar toggle (shown while the header is hovered): the
 * command palette's F1 can be taken by the page after a tree item moved focus to an editor, which
 * left the palette closed in the browser-hosted workbench.
 */
async function toggleGrouping(workbench, view, title) {
  const header = view.locator('.pane-header').first();
  await header.hover();
  const button = header.locator(`.action-label[aria-label*="${title}"]`).first();
  try {
    await button.waitFor({ timeout: 10000 });
    await button.click();
  } catch {
    await workbench.runCommand(`NormLens: ${title}`);
  }
}

module.exports = {
  title: 'Analyze Workspace, then the NormLens view grouped by rule jumps to a finding',
  async run(workbench) {
    const { page } = workbench;
    // Opening a Python file activates NormLens (and waits for the extension to be installed).
    await workbench.openFile('train.py');
    await workbench.runCommand('NormLens: Analyze Workspace');
    const toast = await workbench.waitForToast('unchanged) in');
    assert.match(toast, /NormLens: \d+ findings in \d+ files \(\d+ analysed, \d+ unchanged\)/);
    // The summary's button focuses the NormLens view (collapsed at the bottom of the Explorer).
    await page
      .locator('.notification-toast .monaco-button', { hasText: 'Show Findings' })
      .first()
      .click();
    const view = page.locator('.pane', {
      has: page.locator('.pane-header', { hasText: 'NormLens' }),
    });
    await toggleGrouping(workbench, view, 'Group by Rule');
    const rule = view.locator('.monaco-list-row', { hasText: 'momentum-convention' }).first();
    await rule.waitFor({ timeout: 30000 });
    assert.match(await rule.innerText(), /findings? in \d+ files?/);
    await rule.click();
    const finding = view.locator('.monaco-list-row', { hasText: 'scan/two_blocks.py:9' }).first();
    await finding.waitFor({ timeout: 15000 });
    assert.match(await finding.innerText(), /momentum=0\.99 in PyTorch/);
    await workbench.screenshot('60-tree-by-rule');
    await finding.click();
    await workbench.activeTab('two_blocks.py').waitFor({ timeout: 15000 });
    await page
      .locator('.statusbar-item', { hasText: /Ln 9, Col/ })
      .first()
      .waitFor({ timeout: 10000 });
    // Back to the default grouping, which later checks expect.
    await toggleGrouping(workbench, view, 'Group by File');
    // Files lead again (the list renders only the rows in view, so any file row will do).
    await view
      .locator('.monaco-list-row', { hasText: /\d+ sites?, \d+ findings?/ })
      .first()
      .waitFor({ timeout: 15000 });
    await workbench.dismiss();
  },
};
