// "NormLens: Show Rule Documentation" picks a rule and opens its page in the Markdown preview.
'use strict';

module.exports = {
  title: 'Show Rule Documentation opens the picked rule page in the Markdown preview',
  async run(workbench) {
    const { page } = workbench;
    await workbench.runCommand('NormLens: Show Rule Documentation');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15000 });
    await input.fill('gn-divisibility');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'NORM003' });
    await row.first().waitFor({ timeout: 15000 });
    await row.first().click();
    const preview = await workbench.webviewFrame('Preview gn-divisibility.md');
    await preview.locator('h1', { hasText: 'gn-divisibility' }).first().waitFor({ timeout: 30000 });
    await workbench.screenshot('62-rule-docs');
    await workbench.dismiss();
  },
};
