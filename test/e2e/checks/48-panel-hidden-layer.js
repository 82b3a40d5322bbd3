// A panel hidden behind another editor tab still shows a new layer: "Visualize" on a second layer
// brings the panel to the front and shows that layer (the host keeps it until the reloaded
// webview says it is ready).
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'Visualize reveals a hidden panel and shows the new layer',
  async run(workbench) {
    await workbench.runCommand('View: Close All Editors');
    await workbench.openFile('inventory.onnx');
    let inventory = await workbench.webviewFrame('inventory.onnx');
    const row = (id) => inventory.locator(`#inventory tr.row[data-id="${id}"] button.visualize`);
    await row(0).waitFor({ timeout: 60000 });
    await row(0).click();
    let panel = await workbench.webviewFrame('NormLens: Normalization');
    await panel
      .locator('#weights-layer', { hasText: 'BatchNormalization' })
      .waitFor({ timeout: 30000 });

    // Hide the panel: open a file in its editor group, on top of it.
    await workbench.openFile('train.py');
    await workbench.page
      .locator('.editor-group-container.active .tabs-container .tab', {
        hasText: 'NormLens: Normalization',
      })
      .waitFor({ timeout: 10000 });
    assert.equal(
      await workbench.activeTab('NormLens: Normalization').count(),
      0,
      'the panel is behind train.py',
    );

    inventory = await workbench.webviewFrame('inventory.onnx');
    await row(1).click();
    await workbench.activeTab('NormLens: Normalization').waitFor({ timeout: 30000 });
    panel = await workbench.webviewFrame();
    await panel
      .locator('#weights-layer', { hasText: 'LayerNormalization' })
      .waitFor({ timeout: 30000 });
    assert.equal(await panel.locator('.weights-tensor[data-role="scale"]').count(), 1);
    await workbench.screenshot('48-panel-hidden-layer');
    await workbench.runCommand('View: Close All Editors');
  },
};
