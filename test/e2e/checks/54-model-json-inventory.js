// A tfjs model.json has a "Show normalization inventory" CodeLens; it opens the same inventory
// view, with the findings that the weight shards show (γ with a zero, a negative variance).
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'the model.json CodeLens opens the inventory with health from the shards',
  async run(workbench) {
    // Start from an empty editor area: the inventory gets the full width, and no normalization
    // panel is left hidden by earlier checks (a hidden panel does not show a new layer when
    // revealed, a panel problem reported separately).
    await workbench.runCommand('View: Close All Editors');
    await workbench.openFile('model.json');
    const lens = workbench.page.locator('.codelens-decoration a', {
      hasText: 'Show normalization inventory',
    });
    await lens.first().waitFor({ timeout: 60000 });
    await lens.first().click();
    const frame = await workbench.webviewFrame('Inventory: model.json');
    const row = frame.locator('#inventory tr.row[data-id="0"]');
    await row.waitFor({ timeout: 60000 });
    assert.equal((await row.locator('td.kind').innerText()).trim(), 'BatchNorm');
    assert.equal((await row.locator('td.nodes').innerText()).trim(), 'bn');
    assert.equal((await row.locator('td.eps').innerText()).trim(), '0.001');
    assert.equal((await row.locator('td.momentum').innerText()).trim(), '0.99 default');
    assert.match(
      await frame.locator('#inventory-summary').innerText(),
      /TensorFlow\.js layers-model/,
    );
    const findings = await row.locator('td.findings').getAttribute('title');
    assert.match(findings, /running-var-invalid/);
    assert.match(findings, /dead-gamma/);
    await row.locator('button.visualize').click();
    const panel = await workbench.webviewFrame('NormLens: Normalization');
    const variance = panel.locator('.weights-tensor[data-role="var"] .tensor-summary');
    await variance.waitFor({ timeout: 30000 });
    assert.match(await variance.innerText(), /min -1, max 4; 1 NaN, 0 ±Inf, 0 zeros/);
    await workbench.screenshot('54-model-json-inventory');
  },
};
