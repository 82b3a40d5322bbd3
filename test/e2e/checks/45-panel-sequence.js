// N×L×D mode: the shape controls switch to N, L, D; LayerNorm normalizes each token over D (the
// axes block highlights one token's D features), BatchNorm each feature over N × L (one column,
// through every sample), and the statistics follow: per-feature means after BN ≈ 0.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'the panel switches to N×L×D: LN over D per token, BN per feature over N × L',
  async run(workbench) {
    // A fresh panel: a reused one may still apply the command's preset after the layout change.
    await workbench.runCommand('View: Close All Editors');
    await workbench.runCommand('NormLens: Open Normalization Panel');
    const frame = await workbench.webviewFrame('NormLens: Normalization');
    await frame.locator('#channel-stats').waitFor({ timeout: 30000 });
    await frame.locator('#layout').selectOption('nld');
    // The controls are rebuilt after the change event: wait for them rather than sampling once.
    await frame.locator('#length').waitFor({ state: 'visible', timeout: 10000 });
    await frame.locator('#features').waitFor({ state: 'visible', timeout: 10000 });
    assert.equal(await frame.locator('#channels').count(), 0, 'C is not shown');
    await frame.locator('#batch').fill('4');
    await frame.locator('#length').fill('6');
    await frame.locator('#features').fill('8');
    await frame.locator('#method').selectOption('layernorm');
    const timing = frame.locator('#timing[data-shape="4x6x8"][data-method="layernorm"]');
    await timing.waitFor({ timeout: 10000 });
    // GroupNorm and InstanceNorm do not apply to a sequence here.
    assert.ok(await frame.locator('#method option[value="groupnorm"]').isDisabled());
    const caption = frame.locator('#axes-caption');
    assert.match(await caption.innerText(), /per token/);
    assert.equal(Number(await caption.getAttribute('data-shared')), 8, 'LN: one token, D = 8');
    await frame.locator('rect.cell[data-n="2"][data-c="3"]').hover();
    await frame.locator('#axes-caption', { hasText: 'Token l = 2' }).waitFor({ timeout: 10000 });
    const rows = await frame
      .locator('rect.cell.shared')
      .evaluateAll((cells) => [...new Set(cells.map((cell) => cell.getAttribute('data-n')))]);
    assert.deepEqual(rows, ['2'], 'LN highlights the row of token 2');
    assert.equal(await frame.locator('polygon.face.shared').count(), 0, 'LN stays in sample 0');
    assert.match(await frame.locator('#channel-stats').innerText(), /feature/);

    await frame.locator('#method').selectOption('batchnorm');
    await frame
      .locator('#timing[data-shape="4x6x8"][data-method="batchnorm"]')
      .waitFor({ timeout: 10000 });
    await frame.locator('rect.cell[data-n="2"][data-c="3"]').hover();
    assert.equal(Number(await caption.getAttribute('data-shared')), 6, 'BN: one feature, L = 6');
    assert.match(await caption.innerText(), /all 4 samples/);
    const columns = await frame
      .locator('rect.cell.shared')
      .evaluateAll((cells) => [...new Set(cells.map((cell) => cell.getAttribute('data-c')))]);
    assert.deepEqual(columns, ['3'], 'BN highlights feature 3');
    assert.ok((await frame.locator('polygon.face.shared').count()) > 0, 'BN spans the samples');
    for (let d = 0; d < 8; d++) {
      const mean = Number(await frame.locator(`tr[data-channel="${d}"] td.mean-after`).innerText());
      assert.ok(Math.abs(mean) < 1e-4, `feature ${d} mean after BN ≈ 0 (${mean})`);
    }
    await workbench.screenshot('45-panel-sequence');
    await frame.locator('#layout').selectOption('nchw');
    await frame.locator('#timing[data-shape="4x4x8x8"]').waitFor({ timeout: 10000 });
  },
};
