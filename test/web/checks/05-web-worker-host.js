// Proves where NormLens runs: VS Code's own Running Extensions view labels an extension that runs in
// the browser's web worker extension host "web worker" (one in code-server's Node extension host is
// labelled with the remote host instead). Run after a Python file was opened, so NormLens is active.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'NormLens runs in the web worker extension host',
  async run(workbench) {
    await workbench.runCommand('Developer: Show Running Extensions');
    const row = workbench.page
      .locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'NormLens' })
      .first();
    await row.waitFor({ timeout: 30000 });
    // The label appears with the activation time, once the host reports the extension active.
    await row.locator('text=web worker').waitFor({ timeout: 30000 });
    const text = (await row.innerText()).trim();
    assert.match(text, /web worker/, text);
    assert.doesNotMatch(text, /127\.0\.0\.1/, text);
    await workbench.screenshot('05-running-extensions');
    await workbench.runCommand('View: Close All Editors');
  },
};
