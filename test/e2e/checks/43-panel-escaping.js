// A preset whose variant is markup (as a model or file could name a layer) renders as text. The
// preset reaches the panel through the openPanel command's argument, here from a user keybinding.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const MALICIOUS = '<img src=x onerror="document.title=\'pwned\'">';
const KEY = 'Control+Alt+Shift+KeyN';

module.exports = {
  title: 'a malicious layer name in a preset renders as text, not markup',
  async run(workbench) {
    const keybindings = path.join(workbench.server.userDataDir, 'User', 'keybindings.json');
    fs.mkdirSync(path.dirname(keybindings), { recursive: true });
    fs.writeFileSync(
      keybindings,
      JSON.stringify([
        {
          key: 'ctrl+alt+shift+n',
          command: 'normLens.openPanel',
          args: { kind: 'groupnorm', variant: MALICIOUS, channels: 8, batch: 2 },
        },
      ]),
    );
    // code-server reads the keybindings file at start-up: reload the window first.
    await workbench.runCommand('Developer: Reload Window');
    await workbench.page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await workbench.waitForExplorer();
    // Keys reach the keybinding service once an editor has focus.
    await workbench.openFile('train.py');
    const deadline = Date.now() + 30000;
    for (;;) {
      await workbench.dismiss();
      await workbench.page.keyboard.press(KEY);
      try {
        const frame = await workbench.webviewFrame();
        await frame.locator('#preset-origin code').waitFor({ timeout: 3000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw error;
        }
      }
    }
    const panel = await workbench.webviewFrame();
    assert.equal((await panel.locator('#preset-origin code').innerText()).trim(), MALICIOUS);
    assert.equal(await panel.locator('#app img').count(), 0, 'no <img> element was created');
    assert.equal(await panel.locator('#method').inputValue(), 'groupnorm');
    assert.equal(await panel.locator('#batch').inputValue(), '2');
    // The paper table marks the preset's batch as coming from the user's code.
    await panel.locator('#gn-paper-table tr.marked', { hasText: 'from your code' }).waitFor();
    await workbench.screenshot('43-panel-escaping');
    fs.writeFileSync(keybindings, '[]');
  },
};
