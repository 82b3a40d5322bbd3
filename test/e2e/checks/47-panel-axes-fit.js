// The axes block fits the panel: at C = 64 every cell, face and label lies inside the block's
// container (the depth label "H·W = 64" is not cut), and in a narrower window C = 256 shares
// drawn cells between neighbouring channels, still inside the container.
'use strict';
const assert = require('node:assert/strict');

/** Boxes of the block's drawn elements that stick out of #axes-view, and the label texts. */
function overflow() {
  const container = document.getElementById('axes-view').getBoundingClientRect();
  const outside = [];
  for (const element of document.querySelectorAll(
    '#axes-block svg rect, #axes-block svg polygon, #axes-block svg text',
  )) {
    const box = element.getBoundingClientRect();
    if (
      box.left < container.left - 0.5 ||
      box.right > container.right + 0.5 ||
      box.top < container.top - 0.5 ||
      box.bottom > container.bottom + 0.5
    ) {
      outside.push(`${element.tagName} ${element.textContent} ${JSON.stringify(box)}`);
    }
  }
  const svg = document.querySelector('#axes-block svg').getBoundingClientRect();
  if (svg.right > container.right + 0.5) {
    outside.push(`svg ${JSON.stringify(svg)} in ${JSON.stringify(container)}`);
  }
  const labels = [...document.querySelectorAll('#axes-block text')].map((t) => t.textContent);
  return { outside, labels };
}

module.exports = {
  title: 'the axes block fits its width at C = 64 and C = 256 and never cuts a label',
  async run(workbench) {
    await workbench.runCommand('NormLens: Open Normalization Panel');
    let frame = await workbench.webviewFrame('NormLens: Normalization');
    await frame.locator('#timing[data-updates]').waitFor({ timeout: 30000 });
    await frame.locator('#layout').selectOption('nchw');
    await frame.locator('#channels').fill('64');
    await frame.locator('#height').fill('8');
    await frame.locator('#width').fill('8');
    await frame.locator('#timing[data-shape$="x64x8x8"]').waitFor({ timeout: 10000 });
    let result = await frame.locator('#axes-view').evaluate(overflow);
    assert.deepEqual(result.outside, []);
    assert.ok(result.labels.includes('H·W = 64'), `labels: ${result.labels}`);
    await workbench.screenshot('47-panel-axes-c64');

    // A narrower window: the panel shrinks, the block redraws to fit.
    await workbench.page.setViewportSize({ width: 900, height: 900 });
    frame = await workbench.webviewFrame('NormLens: Normalization');
    await frame.locator('#channels').fill('256');
    await frame.locator('#timing[data-shape$="x256x8x8"]').waitFor({ timeout: 10000 });
    await frame.locator('#axes-caption:not([data-bin="1"])').waitFor({ timeout: 10000 });
    result = await frame.locator('#axes-view').evaluate(overflow);
    assert.deepEqual(result.outside, []);
    assert.ok(
      result.labels.some((l) => /^C = 256 \(\d+ per cell\)$/.test(l)),
      `${result.labels}`,
    );
    await workbench.screenshot('47-panel-axes-c256-narrow');
    await workbench.page.setViewportSize({ width: 1400, height: 900 });
    frame = await workbench.webviewFrame('NormLens: Normalization');
    await frame.locator('#channels').fill('4');
    await frame.locator('#timing[data-shape$="x4x8x8"]').waitFor({ timeout: 10000 });
  },
};
