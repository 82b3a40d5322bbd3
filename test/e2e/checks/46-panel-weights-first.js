// Opened from an ONNX layer ("Visualize" in the inventory), the panel leads with the layer's real
// weights: the section comes right under the heading, has the focus and is in view, and its
// histograms count the fixture's known values (γ = [1, 0, 2, 0.5, 1, 1, 3, 1]; running_var =
// [1, 2, −1, 4, 1, NaN, 1, 1], whose NaN is left out). Opened from the palette afterwards, the
// simulation leads again and the layer is gone.
'use strict';
const assert = require('node:assert/strict');

/** The histogram's bin counts, as the weights view publishes them. */
async function counts(panel, role) {
  const text = await panel
    .locator(`.weights-tensor[data-role="${role}"] figure.chart`)
    .getAttribute('data-counts');
  return text.split(',').map(Number);
}

module.exports = {
  title: 'opened from an ONNX layer, the panel leads with its weights and their histograms',
  async run(workbench) {
    await workbench.runCommand('View: Close All Editors');
    await workbench.openFile('inventory.onnx');
    const inventory = await workbench.webviewFrame('inventory.onnx');
    const visualize = inventory.locator('#inventory tr.row[data-id="0"] button.visualize');
    await visualize.waitFor({ timeout: 60000 });
    await visualize.click();
    const panel = await workbench.webviewFrame('NormLens: Normalization');
    const section = panel.locator('#weights-section');
    await section.waitFor({ timeout: 30000 });
    // The weights come before the simulation's controls, right under the heading.
    const order = await panel
      .locator('#app')
      .evaluate((app) => [...app.children].map((child) => child.id || child.tagName));
    assert.deepEqual(order.slice(0, 3), ['HEADER', 'weights', 'simulation']);
    const [weightsTop, controlsTop] = await Promise.all([
      section.evaluate((e) => e.getBoundingClientRect().top),
      panel.locator('#controls').evaluate((e) => e.getBoundingClientRect().top),
    ]);
    assert.ok(weightsTop < controlsTop, 'the weights are above the controls');
    assert.ok(weightsTop > -2 && weightsTop < 300, `the weights are in view (top ${weightsTop})`);
    assert.equal(await section.evaluate((e) => e === document.activeElement), true);

    const gamma = await counts(panel, 'scale');
    assert.equal(gamma.length, 32);
    assert.equal(
      gamma.reduce((a, b) => a + b, 0),
      8,
      'γ: 8 values',
    );
    assert.equal(Math.max(...gamma), 4, 'γ: four 1s in one bin');
    assert.equal(gamma[0], 1, 'γ: the 0 in the first bin');
    assert.equal(gamma[31], 1, 'γ: the 3 in the last bin');
    const variance = await counts(panel, 'var');
    assert.equal(
      variance.reduce((a, b) => a + b, 0),
      7,
      'running_var: 7 finite values',
    );
    assert.equal(variance[0], 1, 'running_var: the −1 in the first bin');
    assert.equal(variance[31], 1, 'running_var: the 4 in the last bin');
    await workbench.screenshot('46-panel-weights-first');

    // From the palette the simulation leads and the layer is not shown.
    await workbench.runCommand('NormLens: Open Normalization Panel');
    const again = await workbench.webviewFrame('NormLens: Normalization');
    await again.locator('#timing[data-updates]').waitFor({ timeout: 30000 });
    // The panel is reused: its page already has a timing, so wait for the new state to apply.
    await again.locator('#weights-section').waitFor({ state: 'detached', timeout: 15000 });
    assert.equal(await again.locator('#weights-section').count(), 0);
    await workbench.runCommand('View: Close All Editors');
  },
};
