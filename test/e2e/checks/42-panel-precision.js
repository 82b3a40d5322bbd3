// Precision: with eps = 1e-12 and a constant channel, fp16 stores eps as 0 and produces NaN;
// fp32 and bf16 stay finite.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'the panel shows eps underflowing to 0 in fp16 and the NaN that follows',
  async run(workbench) {
    await workbench.runCommand('NormLens: Open Normalization Panel');
    const frame = await workbench.webviewFrame('NormLens: Normalization');
    await frame.locator('#precision-stats').waitFor({ timeout: 30000 });
    await frame.locator('#method').selectOption('batchnorm');
    await frame.locator('#underflow-demo').click();
    await frame
      .locator('#precision-stats caption', { hasText: '1e-12' })
      .waitFor({ timeout: 10000 });
    const read = async (precision, column) =>
      (await frame.locator(`tr[data-precision="${precision}"] td.${column}`).innerText()).trim();
    assert.equal(Number(await read('fp16', 'stored-eps')), 0, 'fp16 stores 1e-12 as 0');
    const fp16Invalid =
      Number(await read('fp16', 'nan-count')) + Number(await read('fp16', 'inf-count'));
    assert.ok(fp16Invalid > 0, 'fp16 produces NaN or Inf');
    assert.equal(Number(await read('fp32', 'nan-count')), 0, 'fp32 stays finite');
    assert.ok(Number(await read('fp32', 'stored-eps')) > 0, 'fp32 keeps eps');
    assert.ok(Number(await read('bf16', 'stored-eps')) > 0, 'bf16 keeps eps (8 exponent bits)');
    await frame.locator('#precision-note', { hasText: 'stored as 0 in fp16' }).waitFor();
    await frame.locator('#precision').scrollIntoViewIfNeeded();
    await workbench.screenshot('42-panel-precision');
    // Back to the defaults the other checks expect.
    await frame.locator('#eps').fill('0.00001');
    await frame.locator('#constantChannel').uncheck();
  },
};
