// The workbench starts with the fixture workspace and shows train.py in the explorer and editor.
'use strict';

module.exports = {
  title: 'workbench is ready and shows the fixture workspace',
  async run(workbench) {
    await workbench.waitForExplorer('train.py');
    await workbench.openFile('train.py');
    const line = workbench.page.locator('.editor-group-container .view-line', {
      hasText: 'nn.BatchNorm2d(64)',
    });
    await line.first().waitFor({ timeout: 30000 });
    await workbench.screenshot('00-workbench');
  },
};
