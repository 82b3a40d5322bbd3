// An .onnx file opens in the NormLens inventory editor: one row per normalization layer with its
// effective parameters (defaults marked) and findings, the findings in the Problems panel, and
// "Visualize" opening the panel with that layer's real weights. The fixture's weights are written
// by test/fixtures/workspace/models/generate.ts: γ = [1, 0, 2, 0.5, 1, 1, 3, 1] (one zero),
// running_var = [1, 2, −1, 4, 1, NaN, 1, 1] (one negative, one NaN).
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'the ONNX editor lists the inventory, publishes Problems and visualizes a layer',
  async run(workbench) {
    // Start from an empty editor area: the inventory gets the full width, and no normalization
    // panel is left hidden by earlier checks (a hidden panel does not show a new layer when
    // revealed, a panel problem reported separately).
    await workbench.runCommand('View: Close All Editors');
    await workbench.openFile('inventory.onnx');
    const frame = await workbench.webviewFrame('inventory.onnx');
    const rows = frame.locator('#inventory tr.row');
    await rows.first().waitFor({ timeout: 60000 });
    assert.equal(await rows.count(), 2);
    const bn = frame.locator('#inventory tr.row[data-id="0"]');
    const cell = async (row, column) => (await row.locator(`td.${column}`).innerText()).trim();
    assert.equal(await cell(bn, 'kind'), 'BatchNorm');
    assert.equal(await cell(bn, 'op'), 'BatchNormalization');
    assert.equal(await cell(bn, 'opset'), 'opset 17 · v15');
    assert.equal(await cell(bn, 'nodes'), 'conv +1');
    assert.equal(await cell(bn, 'eps'), '0.001');
    assert.equal(await cell(bn, 'momentum'), '0.9 default');
    assert.equal(await cell(bn, 'fused'), 'unfused after conv');
    assert.match(await cell(bn, 'findings'), /^3: /);
    assert.equal(await bn.getAttribute('data-severity'), 'error');
    const ln = frame.locator('#inventory tr.row[data-id="1"]');
    assert.equal(await cell(ln, 'kind'), 'LayerNorm');
    assert.equal(await cell(ln, 'eps'), '1e-5 default');
    assert.equal(await cell(ln, 'axis'), '-1 default');
    await workbench.screenshot('50-onnx-editor');

    // Sorting by findings puts the layer with the error first; descending puts it last.
    await frame.locator('button.sort[data-column="findings"]').click();
    assert.equal(await rows.first().getAttribute('data-id'), '0');
    await frame.locator('button.sort[data-column="findings"]').click();
    assert.equal(await rows.first().getAttribute('data-id'), '1');
    // The filter matches node names and rule ids.
    await frame.locator('#filter').fill('dead-gamma');
    await frame.locator('#row-count', { hasText: '1 of 2 layers shown' }).waitFor();
    await frame.locator('#filter').fill('');

    const problems = await workbench.readProblems({ expect: /running_var has 1 negative/ });
    const invalid = problems.find((t) => t.includes('running_var has 1 negative'));
    assert.match(invalid, /nodes conv, bn/);
    assert.match(invalid, /running-var-invalid/);

    const frameAgain = await workbench.webviewFrame('inventory.onnx');
    await frameAgain.locator('#inventory tr.row[data-id="0"] button.visualize').click();
    const panel = await workbench.webviewFrame('NormLens: Normalization');
    const scale = panel.locator('.weights-tensor[data-role="scale"] .tensor-summary');
    await scale.waitFor({ timeout: 30000 });
    assert.match(
      await scale.innerText(),
      /^8 values, shape \[8\], float; min 0, max 3; 0 NaN, 0 ±Inf, 1 zeros/,
    );
    const variance = await panel
      .locator('.weights-tensor[data-role="var"] .tensor-summary')
      .innerText();
    assert.match(variance, /min -1, max 4; 1 NaN, 0 ±Inf, 0 zeros/);
    const mean = await panel
      .locator('.weights-tensor[data-role="mean"] .tensor-summary')
      .innerText();
    assert.match(mean, /min 0, max 7; 0 NaN, 0 ±Inf, 1 zeros/);
    assert.match(
      await panel.locator('#weights-layer').innerText(),
      /conv, bn — BatchNormalization in inventory\.onnx/,
    );
    assert.ok((await panel.locator('#weights-issues li[data-kind="dead-gamma"]').count()) === 1);
    assert.ok(
      (await panel.locator('#weights-issues li[data-kind="running-var-invalid"]').count()) === 1,
    );
    await workbench.screenshot('50-onnx-visualize');
  },
};
