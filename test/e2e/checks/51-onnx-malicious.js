// Node, tensor and input names from a model are text: a node called <img src=x onerror=alert(1)>
// shows as those characters in the inventory and in the panel, and creates no element.
'use strict';
const assert = require('node:assert/strict');

const MALICIOUS = '<img src=x onerror=alert(1)>';

module.exports = {
  title: 'a node named with markup renders as text in the inventory and the panel',
  async run(workbench) {
    await workbench.openFile('malicious.onnx');
    const frame = await workbench.webviewFrame('malicious.onnx');
    const row = frame.locator('#inventory tr.row[data-id="0"]');
    await row.waitFor({ timeout: 60000 });
    assert.equal((await row.locator('td.nodes').innerText()).trim(), MALICIOUS);
    assert.equal(await row.locator('td.nodes').getAttribute('title'), MALICIOUS);
    assert.equal(await frame.locator('img').count(), 0, 'no <img> element in the inventory');
    await row.locator('button.visualize').click();
    const panel = await workbench.webviewFrame('NormLens: Normalization');
    const name = panel.locator('#weights-layer .layer-name');
    await name.waitFor({ timeout: 30000 });
    assert.equal((await name.innerText()).trim(), MALICIOUS);
    const scale = panel.locator('.weights-tensor[data-role="scale"] h3 code');
    assert.equal((await scale.innerText()).trim(), `${MALICIOUS}.weight`);
    assert.equal(await panel.locator('#app img').count(), 0, 'no <img> element in the panel');
    assert.notEqual(await workbench.page.title(), 'pwned');
    await workbench.screenshot('51-onnx-malicious');
  },
};
