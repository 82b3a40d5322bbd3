// "NormLens: Open Normalization Panel" runs BatchNorm in the webview and shows the statistics.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'the panel computes per-channel statistics before and after BatchNorm',
  async run(workbench) {
    await workbench.runCommand('NormLens: Open Normalization Panel');
    const frame = await workbench.webviewFrame('NormLens: Normalization');
    const table = frame.locator('#channel-stats');
    await table.waitFor({ timeout: 30000 });
    const read = async (channel, column) =>
      Number(await frame.locator(`tr[data-channel="${channel}"] td.${column}`).innerText());
    // The sample has a distinct mean per channel (2c − C/2 + noise); BatchNorm removes it.
    const before0 = await read(0, 'mean-before');
    const before3 = await read(3, 'mean-before');
    assert.ok(before3 - before0 > 4, `channel means before: ${before0}, ${before3}`);
    for (let c = 0; c < 4; c++) {
      assert.ok(Math.abs(await read(c, 'mean-after')) < 1e-4, `channel ${c} mean after ≈ 0`);
      assert.ok(
        Math.abs((await read(c, 'var-after')) - 1) < 1e-2,
        `channel ${c} variance after ≈ 1`,
      );
    }
    // Changing the batch recomputes in place.
    await frame.locator('#batch').fill('2');
    await frame
      .locator('#batch-note', { hasText: 'At 2 images per GPU' })
      .waitFor({ timeout: 10000 });
    await workbench.screenshot('40-panel');
  },
};
