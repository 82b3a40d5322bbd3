// "NormLens: Analyze ONNX Model…" lists the workspace's models and opens the picked one in the
// inventory editor (here an exporter-made LayerNorm decomposed below opset 17).
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'NormLens: Analyze ONNX Model… opens a picked model in the inventory',
  async run(workbench) {
    await workbench.runCommand('NormLens: Analyze ONNX Model…');
    const input = workbench.page.locator('.quick-input-widget input');
    await input.fill('layernorm_op13');
    const row = workbench.page.locator('.quick-input-list .monaco-list-row', {
      hasText: 'layernorm_op13.onnx',
    });
    await row.first().waitFor({ timeout: 30000 });
    await row.first().click();
    const frame = await workbench.webviewFrame('layernorm_op13.onnx');
    const ln = frame.locator('#inventory tr.row[data-id="0"]');
    await ln.waitFor({ timeout: 60000 });
    assert.equal((await ln.locator('td.op').innerText()).trim(), 'decomposed LayerNorm');
    assert.equal((await ln.locator('td.fused').innerText()).trim(), 'decomposed (11 nodes)');
    assert.equal((await ln.locator('td.eps').innerText()).trim(), '1e-6');
    assert.match(await ln.locator('td.findings').innerText(), /onnx-decomposed-layernorm/);
    await workbench.screenshot('55-analyze-model-command');
  },
};
